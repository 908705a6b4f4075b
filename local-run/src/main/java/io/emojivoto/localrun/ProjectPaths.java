package io.emojivoto.localrun;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Where the build put things: the project root, each module's executable jar, the Zipkin jar. */
public final class ProjectPaths {

    private ProjectPaths() {
    }

    /** The repository root (the build passes it to the tests as {@code project.root}). */
    public static Path root() {
        String root = System.getProperty("project.root");
        if (root != null) {
            return Path.of(root);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the project root (no mvnw above " + Path.of("").toAbsolutePath() + ")");
        }
        return dir;
    }

    /** The Spring Boot executable jar of a module, which the reactor builds before the modules testing it. */
    public static Path bootJar(String module) {
        Path target = root().resolve(module).resolve("target");
        try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            return files.filter(p -> p.getFileName().toString().matches(module + "-[^-]+.*\\.jar"))
                    .filter(p -> !p.getFileName().toString().endsWith("-plain.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "no jar of " + module + " in " + target + ": build it first (./mvnw -pl " + module + " -am package)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path zipkinServerJar() {
        String jar = System.getProperty("zipkin.server.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("Zipkin server jar not found at " + jar
                    + ": run the tests through Maven (./mvnw verify), which fetches it");
        }
        return Path.of(jar);
    }

    /** A folder for logs of processes started by tests, inside the calling module's target/. */
    public static Path logDir() {
        Path dir = Path.of("target", "process-logs").toAbsolutePath();
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
