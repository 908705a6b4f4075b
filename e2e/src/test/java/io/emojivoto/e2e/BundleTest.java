package io.emojivoto.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.emojivoto.localrun.Directories;
import io.emojivoto.localrun.Jdk;
import io.emojivoto.localrun.ProjectPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * docs/commands.md#bundle: a bundle made here, unpacked into a fresh folder, starts there with `./emojivoto up`,
 * passes `check`, and stops, without any build tool running: Maven, its wrapper and Go are replaced on the PATH
 * by stand-ins that only record that they ran, and the bundle has no wrapper of its own to call.
 */
@Order(65)
class BundleTest {

    private static final Path WORK = Path.of("target", "bundle-test").toAbsolutePath();
    private static final Path UNPACKED = WORK.resolve("elsewhere");
    private static final int OFFSET = 3000;
    private static final Path RAN = WORK.resolve("build-tools-that-ran.txt");
    private static final Map<String, String> ENV = Map.of("PATH", WORK.resolve("stand-ins") + ":" + System.getenv("PATH"),
            "EMOJIVOTO_RUN_DIR", WORK.resolve("run").toString());

    record Result(int status, String output) {
    }

    private static Result run(Path folder, Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end:\n" + output);
        }
        System.out.println("$ " + String.join(" ", command) + "\n" + output + "(exit " + process.exitValue() + ")");
        return new Result(process.exitValue(), output);
    }

    /** A folder of stand-ins for the build tools, each writing its name to {@code ran} when called. */
    private static void buildToolStandIns(Path ran) throws IOException {
        Path bin = Files.createDirectories(WORK.resolve("stand-ins"));
        for (String tool : List.of("mvn", "mvnw", "go")) {
            Path script = bin.resolve(tool);
            Files.writeString(script, "#!/bin/sh\necho " + tool + " >> '" + ran + "'\nexit 1\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @AfterAll
    static void down() throws Exception {
        if (Files.exists(UNPACKED.resolve("emojivoto/emojivoto"))) {
            run(UNPACKED.resolve("emojivoto"), ENV, "./emojivoto", "down", "--port-offset", Integer.toString(OFFSET));
        }
        Directories.deleteTree(WORK); // a bundle and its unpacked copy: 600 MiB
    }

    @Test
    void a_bundle_unpacked_in_a_fresh_folder_starts_offline_passes_check_and_runs_no_build_tool() throws Exception {
        Directories.deleteTree(WORK);
        Files.createDirectories(UNPACKED);
        Path ran = RAN;
        buildToolStandIns(ran);
        Map<String, String> env = ENV;

        Result refused = run(WORK, env, ProjectPaths.root().resolve("emojivoto").toString(), "bundle", "/proc/no-such/b.tar.gz");
        assertThat(refused.status()).as("a path that cannot be written").isEqualTo(2);
        assertThat(refused.output()).contains("cannot write /proc/no-such/b.tar.gz");

        // A relative path is meant from where the command is typed, not from the project's folder.
        Result made = run(WORK, env, ProjectPaths.root().resolve("emojivoto").toString(), "bundle", "emojivoto.tar.gz");
        assertThat(made.status()).as(made.output()).isZero();
        Path bundle = WORK.resolve("emojivoto.tar.gz");
        assertThat(bundle).isRegularFile();
        assertThat(run(UNPACKED, Map.of(), "tar", "-xzf", bundle.toString()).status()).isZero();

        Path home = UNPACKED.resolve("emojivoto");
        assertThat(home.resolve("emojivoto")).isExecutable();
        assertThat(home.resolve("mvnw")).as("nothing in it can start a build").doesNotExist();
        assertThat(home.resolve("pom.xml")).doesNotExist();
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            assertThat(lib.map(p -> p.getFileName().toString())).singleElement().asString().matches("zipkin-server-.*-exec\\.jar");
        }
        String note = Files.readString(home.resolve("BUNDLE.txt"));
        if (Files.isExecutable(ProjectPaths.root().resolve("tools/jaeger/target/jaeger"))) {
            assertThat(note).contains("built with Go for linux/amd64 only");
            assertThat(home.resolve("tools/jaeger/target/jaeger")).isExecutable();
        }

        // The bundle's pipeline runs on the JDK running the tests (JAVA_HOME names it): Java 17 in CI, where
        // every other pipeline runs on the newest JDK found (25). So 17, with its CDS archives, is started too.
        Jdk testsJdk = Jdk.running();
        Map<String, String> upEnv = new java.util.HashMap<>(env);
        upEnv.put("JAVA_HOME", testsJdk.home().toString());
        Result up = run(home, upEnv, "./emojivoto", "up", "--detach", "--bot-rate", "0", "--port-offset", Integer.toString(OFFSET));
        assertThat(up.status()).as(up.output()).isZero();
        assertThat(up.output()).doesNotContain("building").contains("the Java parts run on Java " + testsJdk.version());
        Result check = run(home, env, "./emojivoto", "check", "--requests", "100", "--port-offset", Integer.toString(OFFSET));
        assertThat(check.status()).as(check.output()).isZero();
        assertThat(check.output()).contains("OK: every sampled request has a complete trace");

        // Zipkin runs from the bundle's own lib/ (extracted into the bundle's start cache), not from the local Maven
        // repository of the machine that made it.
        String status = run(home, env, "./emojivoto", "status", "--port-offset", Integer.toString(OFFSET)).output();
        java.util.regex.Matcher zipkinPid = java.util.regex.Pattern.compile("(?m)^zipkin +(\\d+) ").matcher(status);
        assertThat(zipkinPid.find()).as(status).isTrue();
        String commandLine = ProcessHandle.of(Long.parseLong(zipkinPid.group(1))).orElseThrow().info().commandLine().orElse("");
        Path zipkinCache = home.resolve("target/start-cache/zipkin/java" + testsJdk.feature());
        assertThat(commandLine).contains(zipkinCache.toString()).doesNotContain(".m2")
                .contains(testsJdk.hasAotCache() ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=");
        assertThat(Files.readString(zipkinCache.resolve("key"))).contains("jar=" + home.resolve("lib"));

        assertThat(run(home, env, "./emojivoto", "down", "--port-offset", Integer.toString(OFFSET)).status()).isZero();
        assertThat(ran).as("no build tool ran").doesNotExist();
        assertThat(home.resolve(".build.log")).doesNotExist();
    }
}
