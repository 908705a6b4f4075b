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

    static Path zipkinJar() {
        String fromProperty = System.getProperty("zipkin.server.jar");
        String jar = fromProperty != null ? fromProperty : properties().getProperty("zipkin.server.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new LauncherException("the Zipkin server jar is missing (" + jar + "): run ./mvnw -DskipTests install");
        }
        return Path.of(jar);
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
