package io.emojivoto.localrun;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which installed JDK runs the parts: the newest 17 or later, by the version its release file states. */
class JdkTest {

    @TempDir
    Path folder;

    private Path jdk(String name, String version) throws IOException {
        Path home = Files.createDirectories(folder.resolve(name));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    @Test
    void the_newest_jdk_17_or_later_is_chosen_and_older_or_incomplete_ones_are_not() throws IOException {
        Path seventeen = jdk("jdk-17", "17.0.15");
        Path twentyFive = jdk("temurin-25", "25.0.3");
        Path twentyFiveOlder = jdk("temurin-25-old", "25.0.1");
        Path eleven = jdk("jdk-11", "11.0.2");
        Path noJava = Files.createDirectories(folder.resolve("jre-without-bin"));
        Files.writeString(noJava.resolve("release"), "JAVA_VERSION=\"26\"\n");

        Jdk chosen = Jdk.newest(List.of(seventeen, eleven, twentyFiveOlder, twentyFive, noJava, folder.resolve("missing"))).orElseThrow();
        assertThat(chosen.version()).isEqualTo("25.0.3");
        assertThat(chosen.home()).isEqualTo(twentyFive.toRealPath());
        assertThat(chosen.hasAotCache()).isTrue();
        assertThat(Jdk.newest(List.of(eleven, noJava))).isEmpty();
        assertThat(Jdk.at(seventeen).orElseThrow().hasAotCache()).as("17 gets a CDS archive").isFalse();
    }

    @Test
    void feature_release_is_read_from_each_version_format() {
        assertThat(new Jdk(folder, "17.0.15").feature()).isEqualTo(17);
        assertThat(new Jdk(folder, "25").feature()).isEqualTo(25);
        assertThat(new Jdk(folder, "21-ea").feature()).isEqualTo(21);
        assertThat(new Jdk(folder, "1.8.0_402").feature()).isEqualTo(8);
    }

    @Test
    void the_native_heap_is_trimmed_on_the_jdks_that_can_and_netty_keeps_unsafe_on_24_and_later() {
        List<String> flags = List.of("-Xmx64m");
        assertThat(new Jdk(folder, "25.0.3").flags(flags)).containsExactly("-Xmx64m", "-XX:TrimNativeHeapInterval=2000",
                "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED");
        assertThat(new Jdk(folder, "17.0.15").flags(flags)).containsExactly("-Xmx64m", "-XX:TrimNativeHeapInterval=2000");
        assertThat(new Jdk(folder, "17.0.8").flags(flags)).as("17.0.8 refuses the flag").containsExactly("-Xmx64m");
        assertThat(new Jdk(folder, "21").flags(flags)).containsExactly("-Xmx64m");
    }

    @Test
    void without_java_home_the_jdk_chosen_for_the_parts_is_at_least_the_one_running() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("JAVA_HOME") == null, "JAVA_HOME names the JDK instead");
        assertThat(Jdk.forParts().feature()).isGreaterThanOrEqualTo(Runtime.version().feature());
    }
}
