package io.emojivoto.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the Jaeger UI comes from, against a local HTTP server in place of GitHub's releases: a good
 * archive, a 404, a truncated archive, an archive without the UI. Each ends in the real UI or in one
 * clear line and the placeholder, never in a half-unpacked folder.
 */
class JaegerUiTest {

    @TempDir
    Path tools;
    @TempDir
    Path scratch;

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile byte[] archive;
    private volatile int status = 200;
    private final ByteArrayOutputStream said = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(said, true, StandardCharsets.UTF_8);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = status == 200 ? archive : "Not Found".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private JaegerUi.Release release() {
        return new JaegerUi.Release("v9.9.9", "http://127.0.0.1:" + server.getAddress().getPort() + "/v9.9.9/assets.tar.gz",
                "packages/jaeger-ui/build");
    }

    /** A tar.gz like jaeger-ui's release asset: the UI under packages/jaeger-ui/build/, or what {@code files} say. */
    private byte[] tarGz(String... files) throws IOException, InterruptedException {
        Path tree = Files.createTempDirectory(scratch, "tree");
        for (String file : files) {
            Path path = tree.resolve(file);
            Files.createDirectories(path.getParent());
            Files.writeString(path, "<!doctype html><title>Jaeger UI</title>");
        }
        Path out = scratch.resolve("assets-" + System.nanoTime() + ".tar.gz");
        Process tar = new ProcessBuilder("tar", "-czf", out.toString(), "-C", tree.toString(), "packages").inheritIO().start();
        assertThat(tar.waitFor()).isZero();
        return Files.readAllBytes(out);
    }

    private byte[] goodArchive() throws IOException, InterruptedException {
        return tarGz("packages/jaeger-ui/build/index.html", "packages/jaeger-ui/build/static/index-abc.js",
                "packages/jaeger-ui/build/favicon.ico", "packages/jaeger-ui/package.json");
    }

    private void assertNothingHalfWritten() throws IOException {
        Path target = tools.resolve("target");
        if (Files.exists(target)) {
            try (Stream<Path> left = Files.list(target)) {
                assertThat(left).as("nothing half-unpacked").isEmpty();
            }
        }
    }

    @Test
    void a_good_archive_is_fetched_once_and_kept() throws Exception {
        archive = goodArchive();
        JaegerUi.Choice first = JaegerUi.resolve(out, null, tools, release());
        assertThat(first.assets()).isEqualTo(tools.resolve("target/jaeger-ui-v9.9.9"));
        assertThat(first.assets().resolve("index.html")).isRegularFile();
        assertThat(first.assets().resolve("static/index-abc.js")).isRegularFile();
        assertThat(first.source()).contains("fetched now");
        assertThat(said.toString()).contains("fetching the Jaeger UI");
        try (Stream<Path> left = Files.list(tools.resolve("target"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("jaeger-ui-v9.9.9");
        }
        JaegerUi.Choice second = JaegerUi.resolve(out, null, tools, release());
        assertThat(second.assets()).isEqualTo(first.assets());
        assertThat(second.source()).contains("fetched before");
        assertThat(requests.get()).as("fetched once").isEqualTo(1);
    }

    @Test
    void a_404_leaves_the_placeholder_and_says_what_to_set() throws Exception {
        status = 404;
        JaegerUi.Choice choice = JaegerUi.resolve(out, null, tools, release());
        assertThat(choice.assets()).isNull();
        assertThat(choice.source()).contains("placeholder");
        assertThat(said.toString()).contains("answered 404", "JAEGER_UI_ASSETS", "JAEGER_BIN");
        assertNothingHalfWritten();
    }

    @Test
    void a_truncated_archive_leaves_the_placeholder() throws Exception {
        byte[] good = goodArchive();
        archive = Arrays.copyOf(good, good.length / 2);
        JaegerUi.Choice choice = JaegerUi.resolve(out, null, tools, release());
        assertThat(choice.assets()).isNull();
        assertThat(said.toString()).contains("could not be fetched", "did not unpack");
        assertNothingHalfWritten();
    }

    @Test
    void an_archive_without_the_ui_leaves_the_placeholder() throws Exception {
        archive = tarGz("packages/jaeger-ui/build/static/index-abc.js", "packages/jaeger-ui/package.json");
        JaegerUi.Choice choice = JaegerUi.resolve(out, null, tools, release());
        assertThat(choice.assets()).isNull();
        assertThat(said.toString()).contains("no index.html and static/");
        assertNothingHalfWritten();
    }

    @Test
    void nothing_listening_leaves_the_placeholder() throws Exception {
        server.stop(0);
        JaegerUi.Choice choice = JaegerUi.resolve(out, null, tools, release());
        assertThat(choice.assets()).isNull();
        assertThat(said.toString()).contains("could not be fetched", "JAEGER_UI_ASSETS");
        assertNothingHalfWritten();
    }

    @Test
    void jaeger_ui_assets_is_used_as_given_and_refused_when_it_is_not_the_ui() throws Exception {
        Path ui = Files.createDirectories(scratch.resolve("ui/static"));
        Files.writeString(ui.getParent().resolve("index.html"), "<title>Jaeger UI</title>");
        JaegerUi.Choice given = JaegerUi.resolve(out, ui.getParent().toString(), tools, release());
        assertThat(given.assets()).isEqualTo(ui.getParent());
        assertThat(requests.get()).isZero();
        Path notUi = Files.createDirectories(scratch.resolve("empty"));
        assertThatThrownBy(() -> JaegerUi.checkGiven(notUi.toString())).isInstanceOf(UsageException.class)
                .hasMessageContaining("JAEGER_UI_ASSETS=" + notUi).hasMessageContaining("index.html and static/");
        assertThatThrownBy(() -> JaegerUi.checkGiven(scratch.resolve("missing").toString())).isInstanceOf(UsageException.class);
    }

    @Test
    void the_pinned_release_is_the_ui_of_the_pinned_jaeger() {
        JaegerUi.Release pinned = JaegerUi.Release.pinned(io.emojivoto.localrun.ProjectPaths.root().resolve("tools/jaeger"));
        assertThat(pinned.version()).isEqualTo("v1.74.0");
        assertThat(pinned.assetUrl()).isEqualTo("https://github.com/jaegertracing/jaeger-ui/releases/download/v1.74.0/assets.tar.gz");
    }
}
