package io.emojivoto.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Facts the build put into the launcher (launcher.properties). */
final class Launcher {

    private Launcher() {
    }

    /**
     * The Zipkin server jar: {@code -Dzipkin.server.jar}, else the one a bundle carries in {@code lib/} (a path
     * relative to the project's folder, wherever it was unpacked), else the one the build fetched into the local
     * Maven repository.
     */
    static Path zipkinJar() {
        String fromProperty = System.getProperty("zipkin.server.jar");
        if (fromProperty == null) {
            Path bundled = bundledZipkinJar();
            if (bundled != null) {
                return bundled;
            }
        }
        String jar = fromProperty != null ? fromProperty : properties().getProperty("zipkin.server.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new LauncherException("the Zipkin server jar is missing (" + jar + "): run ./mvnw -DskipTests install");
        }
        return Path.of(jar);
    }

    private static Path bundledZipkinJar() {
        Path lib = io.emojivoto.localrun.ProjectPaths.root().resolve("lib");
        if (!Files.isDirectory(lib)) {
            return null;
        }
        try (java.util.stream.Stream<Path> files = Files.list(lib)) {
            return files.filter(p -> p.getFileName().toString().matches("zipkin-server-.*-exec\\.jar")).findFirst().orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Properties properties() {
        Properties p = new Properties();
        try (InputStream in = Launcher.class.getResourceAsStream("/launcher.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
