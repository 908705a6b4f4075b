package io.emojivoto.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.emojivoto.localrun.FreePort;
import io.emojivoto.localrun.Jdk;
import io.emojivoto.localrun.ManagedProcess;
import io.emojivoto.localrun.ProjectPaths;
import io.emojivoto.localrun.StartCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A part's start cache (what `up` makes once after a build), on the JDK the parts run on and on the
 * one running the tests when that is an older one (Java 25's AOT cache, 17's CDS archive): made from
 * a real service jar, made again when the jar changes, and never in the way of a start: a spoiled
 * cache file is ignored by the JVM, and the part starts and answers its health check.
 */
@Order(2)
class StartCacheTest {

    private static final List<String> FLAGS = List.of("-Xmx160m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    @TempDir
    Path folder;

    static Stream<Jdk> jdks() {
        Jdk forParts = Jdk.forParts();
        Jdk running = Jdk.running();
        return running.feature() == forParts.feature() ? Stream.of(forParts) : Stream.of(forParts, running);
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void a_cache_is_made_once_is_remade_when_the_jar_changes_and_a_spoiled_one_never_stops_a_start(Jdk jdk) throws Exception {
        Path jar = Files.copy(ProjectPaths.bootJar("emoji-svc"), Files.createDirectories(folder.resolve("jar")).resolve("emoji-svc.jar"));
        int management = FreePort.next();
        Map<String, String> env = Map.of("GRPC_PORT", Integer.toString(FreePort.next()), "SERVER_PORT", Integer.toString(management),
                "ZIPKIN_ENDPOINT", "http://127.0.0.1:9/api/v2/spans");
        StartCache cache = StartCache.in(folder.resolve("cache"), "emoji-svc", jar, FLAGS, env, jdk);
        String cacheFlag = jdk.hasAotCache() ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=";

        assertThat(cache.isReady()).isFalse();
        assertThat(cache.command()).as("before it is made: the jar as built").endsWith("-jar", jar.toAbsolutePath().toString())
                .noneMatch(arg -> arg.startsWith(cacheFlag));

        assertThat(cache.prepare()).isTrue();
        assertThat(cache.isReady()).isTrue();
        assertThat(cache.cachePath()).isRegularFile();
        List<String> fromCache = cache.command();
        assertThat(fromCache.get(0)).isEqualTo(jdk.java().toString());
        assertThat(fromCache).contains(cacheFlag + cache.cachePath());
        assertThat(fromCache.get(fromCache.size() - 1)).as("the extracted jar").startsWith(folder.resolve("cache").toString());

        // Spoiled (a disk error, an interrupted copy): the JVM starts without it (Java 25 says so in the part's log; 17 silently).
        byte[] noise = new byte[4096];
        new Random(1).nextBytes(noise);
        Files.write(cache.cachePath(), noise);
        Path log = folder.resolve("emoji-svc.log");
        try (ManagedProcess part = ManagedProcess.start("emoji-svc", cache.command(), env, log, true)) {
            part.awaitHttpOk("http://127.0.0.1:" + management + "/actuator/health", Duration.ofSeconds(90));
        }
        if (jdk.hasAotCache()) {
            assertThat(Files.readString(log)).as("the JVM's warning").contains("An error has occurred while processing the AOT cache");
        }

        // A rebuilt jar: the cache no longer matches and the part starts from the jar as built until it is made again.
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
        assertThat(cache.isReady()).isFalse();
        assertThat(cache.command()).endsWith("-jar", jar.toAbsolutePath().toString()).noneMatch(arg -> arg.startsWith(cacheFlag));
    }
}
