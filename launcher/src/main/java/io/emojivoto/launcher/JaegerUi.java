package io.emojivoto.launcher;

import io.emojivoto.localrun.Directories;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Where the Jaeger UI that the local Jaeger serves comes from. A Jaeger built from the Go module embeds a
 * placeholder page ("This is not the Jaeger UI you are looking for"); the real UI is jaeger-ui, a separate
 * project that a Jaeger release embeds. In order:
 * <ol>
 *   <li>{@code JAEGER_UI_ASSETS}: a built jaeger-ui, a folder with {@code index.html} and {@code static/};
 *       anything else is refused before anything starts ({@link #checkGiven});
 *   <li>the copy fetched before, in {@code tools/jaeger/target/jaeger-ui-VERSION/};
 *   <li>the release asset Jaeger's own build fetches ({@code tools/jaeger/jaeger-ui.properties} pins it beside
 *       the Jaeger module's version), once, with progress, kept only if it holds {@code index.html} and
 *       {@code static/}: never a half-unpacked folder.
 * </ol>
 * When the fetch fails (offline, refused, not the UI), one line says what failed and the two variables
 * that fix it, and Jaeger serves its placeholder; {@code ./emojivoto status} says so.
 */
final class JaegerUi {

    /** The UI Jaeger is to serve: a folder, or none (its placeholder), and how it was found, for status. */
    record Choice(Path assets, String source) {
        static Choice placeholder(String why) {
            return new Choice(null, "Jaeger's placeholder page (" + why + ")");
        }
    }

    /** What {@code tools/jaeger/jaeger-ui.properties} pins. */
    record Release(String version, String assetUrl, String path) {
        static Release pinned(Path tools) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(tools.resolve("jaeger-ui.properties"))) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String version = p.getProperty("version");
            return new Release(version, p.getProperty("asset").replace("{version}", version), p.getProperty("path"));
        }
    }

    private JaegerUi() {
    }

    /** Whether {@code folder} is a built jaeger-ui. */
    static boolean isUi(Path folder) {
        return Files.isRegularFile(folder.resolve("index.html")) && Files.isDirectory(folder.resolve("static"));
    }

    /**
     * The folder {@code JAEGER_UI_ASSETS} names, if set.
     *
     * @throws UsageException when it is not a built jaeger-ui: refused before anything starts (exit 2)
     */
    static Path checkGiven(String given) {
        if (given == null || given.isBlank()) {
            return null;
        }
        Path folder = Path.of(given).toAbsolutePath().normalize();
        if (!isUi(folder)) {
            throw new UsageException("JAEGER_UI_ASSETS=" + given + " is not a built jaeger-ui: it needs index.html and static/"
                    + " (unset it, and the launcher fetches jaeger-ui once)");
        }
        return folder;
    }

    /** The UI to serve: the given one, the cached one, or one fetched now from {@code release}. */
    static Choice resolve(PrintStream out, String given, Path tools, Release release) {
        Path folder = checkGiven(given);
        if (folder != null) {
            return new Choice(folder, "JAEGER_UI_ASSETS " + folder);
        }
        Path cached = tools.resolve("target").resolve("jaeger-ui-" + release.version());
        if (isUi(cached)) {
            return new Choice(cached, "jaeger-ui " + release.version() + ", fetched before");
        }
        try {
            fetch(out, release, cached);
            return new Choice(cached, "jaeger-ui " + release.version() + ", fetched now");
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            out.println("  the Jaeger UI could not be fetched (" + why + "): Jaeger serves its placeholder page;"
                    + " set JAEGER_UI_ASSETS to a built jaeger-ui, or JAEGER_BIN to a Jaeger release binary");
            return Choice.placeholder("jaeger-ui could not be fetched: set JAEGER_UI_ASSETS or JAEGER_BIN");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Choice.placeholder("interrupted while fetching jaeger-ui");
        }
    }

    /** Downloads the archive, unpacks its UI beside {@code target}, checks it, then moves it into place. */
    private static void fetch(PrintStream out, Release release, Path target) throws IOException, InterruptedException {
        Path work = Files.createDirectories(target.getParent()).resolve(target.getFileName() + ".part");
        Directories.deleteTree(work);
        Files.createDirectories(work);
        try {
            Path archive = work.resolve("assets.tar.gz");
            download(out, release.assetUrl(), archive);
            Path unpacked = Files.createDirectories(work.resolve("unpacked"));
            Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", unpacked.toString(), release.path())
                    .redirectErrorStream(true).start();
            String said = new String(tar.getInputStream().readAllBytes()).strip();
            if (!tar.waitFor(120, TimeUnit.SECONDS) || tar.exitValue() != 0) {
                tar.destroyForcibly();
                throw new IOException("the archive did not unpack" + (said.isEmpty() ? "" : ": " + said.lines().findFirst().orElse("")));
            }
            Path ui = unpacked.resolve(release.path());
            if (!isUi(ui)) {
                throw new IOException("the archive holds no index.html and static/ under " + release.path());
            }
            Files.move(ui, target, StandardCopyOption.ATOMIC_MOVE);
            out.println("  jaeger-ui " + release.version() + " is in " + target);
        } finally {
            Directories.deleteTree(work);
        }
    }

    private static void download(PrintStream out, String url, Path to) throws IOException, InterruptedException {
        out.println("  fetching the Jaeger UI (jaeger-ui), first time only: " + url);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException(url + " answered " + response.statusCode());
            }
            long length = response.headers().firstValueAsLong("content-length").orElse(-1);
            try (OutputStream file = Files.newOutputStream(to)) {
                byte[] buffer = new byte[64 * 1024];
                long read = 0;
                long shown = 0;
                for (int n; (n = body.read(buffer)) >= 0; ) {
                    file.write(buffer, 0, n);
                    read += n;
                    if (read - shown >= 2 << 20) { // every 2 MB
                        shown = read;
                        out.printf("  … %d MB%s%n", read >> 20, length > 0 ? " of " + (length >> 20) + " MB" : "");
                    }
                }
                if (length > 0 && read != length) {
                    throw new IOException("the download ended after " + read + " of " + length + " bytes");
                }
            }
        }
    }
}
