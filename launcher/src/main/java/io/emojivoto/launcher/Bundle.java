package io.emojivoto.launcher;

import io.emojivoto.localrun.ProjectPaths;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code ./emojivoto bundle FILE.tar.gz}: everything a laptop needs to run {@code ./emojivoto up} without the
 * network and without building, for a room without Wi-Fi: the built jars, the Zipkin server jar, the ingress's
 * nginx configuration and Lua, tracing.yml, the workshop's pages, and Jaeger's binary and UI when they are here.
 * Every path in it is relative to the folder it unpacks into ({@code emojivoto/}); it has no Maven wrapper and
 * no sources, so nothing in it can start a build. Jaeger's binary runs on the platform it was built for only:
 * {@code BUNDLE.txt} says which.
 */
final class Bundle {

    static final String FOLDER = "emojivoto";
    static final List<String> SERVICES = List.of("emoji-svc", "voting-svc", "web-svc", "vote-bot", "proxy");

    private final Path root;
    private final PrintStream out;

    Bundle(Path root, PrintStream out) {
        this.root = root;
        this.out = out;
    }

    /** Packs the bundle into {@code target}; refuses (exit 2) a path it cannot write, before packing anything. */
    int write(Path target) throws IOException, InterruptedException {
        Path file = target.toAbsolutePath().normalize();
        if (!file.getFileName().toString().endsWith(".tar.gz")) {
            throw new UsageException("bundle writes a .tar.gz file, not " + target);
        }
        Path parent = file.getParent();
        if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
            throw new UsageException("cannot write " + file + ": " + parent + " is not a folder this user can write to");
        }
        Path staging = Files.createTempDirectory(parent, ".emojivoto-bundle"); // beside it: hard links, not copies, where it can
        try {
            Path into = Files.createDirectories(staging.resolve(FOLDER));
            List<String> notes = pack(into);
            Files.writeString(into.resolve("BUNDLE.txt"), String.join("\n", notes) + "\n");
            out.println("packing " + file + "…");
            Process tar = new ProcessBuilder("tar", "-czf", file.toString(), "-C", staging.toString(), FOLDER)
                    .redirectErrorStream(true).start();
            String output = new String(tar.getInputStream().readAllBytes());
            if (!tar.waitFor(10, TimeUnit.MINUTES) || tar.exitValue() != 0) {
                tar.destroyForcibly();
                Files.deleteIfExists(file);
                throw new LauncherException("tar could not write " + file + ": " + output.strip());
            }
            notes.forEach(line -> out.println("  " + line));
            out.printf("wrote %s (%d MiB). On the other machine (Java 17+, nginx with its Lua module):%n"
                    + "  tar -xzf %s && cd %s && ./emojivoto up%n", file, Files.size(file) >> 20, file.getFileName(), FOLDER);
            return 0;
        } finally {
            deleteTree(staging);
        }
    }

    /** Links (or copies) each file into the bundle's folder; returns what BUNDLE.txt says of it. */
    private List<String> pack(Path into) throws IOException {
        List<String> notes = new ArrayList<>();
        notes.add("emojivoto, bundled to run offline: ./emojivoto up (no build, no network). Java 17+ and nginx with its Lua module");
        notes.add("are needed on the machine, as in the README.");
        add("emojivoto", into);
        add("README.md", into);
        for (String file : List.of("tracing.yml", "emojivoto.yml", "ingress.yml")) {
            add(file, into);
        }
        addTree(root.resolve("ingress/nginx"), into.resolve("ingress/nginx"));
        addTree(root.resolve("docs"), into.resolve("docs"));
        Path launcher = onlyJar(root.resolve("launcher/target"), "launcher-.*-exec\\.jar");
        link(launcher, into.resolve("launcher/target").resolve(launcher.getFileName()));
        for (String module : SERVICES) {
            Path jar = ProjectPaths.bootJar(module);
            link(jar, into.resolve(module).resolve("target").resolve(jar.getFileName()));
        }
        Path zipkin = Launcher.zipkinJar();
        link(zipkin, into.resolve("lib").resolve(zipkin.getFileName()));
        notes.add("Zipkin: lib/" + zipkin.getFileName());

        Path tools = root.resolve("tools/jaeger");
        Path jaeger = tools.resolve("target/jaeger");
        if (Files.isExecutable(jaeger)) {
            for (String file : List.of("build.sh", "go.mod", "go.sum", "jaeger-ui.properties")) {
                link(tools.resolve(file), into.resolve("tools/jaeger").resolve(file));
            }
            link(jaeger, into.resolve("tools/jaeger/target/jaeger"));
            notes.add("Jaeger v2: tools/jaeger/target/jaeger, built with Go for " + platform() + " only; on another platform,");
            notes.add("  --backend jaeger needs Go (it builds its own) or JAEGER_BIN.");
            JaegerUi.Release release = JaegerUi.Release.pinned(tools);
            Path ui = uiHere(tools, release);
            if (ui != null) {
                addTree(ui, into.resolve("tools/jaeger/target/jaeger-ui-" + release.version()));
                notes.add("Jaeger UI: jaeger-ui " + release.version() + ", served by Jaeger without fetching it");
            } else {
                notes.add("Jaeger UI: not here when the bundle was made; offline, Jaeger serves its placeholder page");
            }
        } else {
            notes.add("Jaeger: not built here when the bundle was made; --backend jaeger needs Go or JAEGER_BIN");
        }
        return notes;
    }

    /** The jaeger-ui the launcher would serve: JAEGER_UI_ASSETS, or the copy fetched before. */
    private static Path uiHere(Path tools, JaegerUi.Release release) {
        Path given = JaegerUi.checkGiven(System.getenv("JAEGER_UI_ASSETS"));
        if (given != null) {
            return given;
        }
        Path cached = tools.resolve("target").resolve("jaeger-ui-" + release.version());
        return JaegerUi.isUi(cached) ? cached : null;
    }

    /** The platform this machine is, as Go names it: the Jaeger binary built here runs there only. */
    static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return (os.contains("mac") ? "darwin" : os.contains("linux") ? "linux" : os) + "/"
                + (arch.equals("x86_64") || arch.equals("amd64") ? "amd64" : arch.equals("aarch64") ? "arm64" : arch);
    }

    private void add(String file, Path into) throws IOException {
        link(root.resolve(file), into.resolve(file));
    }

    private static Path onlyJar(Path folder, String pattern) throws IOException {
        try (Stream<Path> files = Files.exists(folder) ? Files.list(folder) : Stream.empty()) {
            return files.filter(p -> p.getFileName().toString().matches(pattern)).findFirst()
                    .orElseThrow(() -> new LauncherException("no " + pattern + " in " + folder + ": build first (./mvnw -DskipTests install)"));
        }
    }

    private static void addTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                link(file, to.resolve(from.relativize(file).toString()));
            }
        }
    }

    /** A hard link where the file system allows one (a bundle of jars is hundreds of MiB), else a copy. */
    private static void link(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        try {
            Files.createLink(to, from);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(from, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
