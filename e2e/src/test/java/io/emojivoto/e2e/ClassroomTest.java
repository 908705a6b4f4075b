package io.emojivoto.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.emojivoto.localrun.ProjectPaths;
import io.emojivoto.localrun.ZipkinApi;
import io.emojivoto.localrun.StoredSpan;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A room of laptops, through the real `./emojivoto` script: two pipelines side by side on moved port
 * plans, one in class mode (every request traced, the bot's traffic tagged) shared on a second
 * address, 127.0.0.2 (a loopback address: tests never use the machine's network address), where the
 * ingress and the trace UI answer and no admin endpoint does; the other speaking W3C trace context
 * from the edge down (--propagation w3c); and `check`'s report on a killed proxy.
 */
@Order(60)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClassroomTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Path RUN_DIR = Path.of("target", "classroom-run").toAbsolutePath();
    private static final int CLASS = 1000; // port offsets: 9080 is the class's ingress, 10080 the other's
    private static final int OTHER = 2000;
    private static final String SHARED = "127.0.0.2";
    private static final String LEARNER = "127.0.0.3"; // a learner's laptop, as the ingress sees it

    /** A vote sent from the address LEARNER, as a laptop in the room would; returns the trace id answered. */
    private static String voteFrom(String source, String userAgent) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(new InetSocketAddress(SHARED, 8080 + CLASS), 2000);
            socket.setSoTimeout(10_000);
            String request = "GET /api/vote?choice=:joy: HTTP/1.1\r\nHost: " + SHARED + "\r\nUser-Agent: " + userAgent
                    + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(response).startsWith("HTTP/1.1 200");
            java.util.regex.Matcher traceId = java.util.regex.Pattern.compile("(?im)^X-B3-TraceId: *([0-9a-f]+)").matcher(response);
            assertThat(traceId.find()).as("the vote's answer names its trace:\n" + response).isTrue();
            return traceId.group(1);
        }
    }

    record Result(int status, String output) {
    }

    /** `./emojivoto ARGS` from the repository's root, with the run folder of these tests. */
    private static Result emojivoto(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProjectPaths.root().resolve("emojivoto").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ProjectPaths.root().toFile()).redirectErrorStream(true);
        builder.environment().put("EMOJIVOTO_RUN_DIR", RUN_DIR.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("./emojivoto " + String.join(" ", args) + " did not end:\n" + output);
        }
        System.out.println("$ ./emojivoto " + String.join(" ", args) + "\n" + output + "(exit " + process.exitValue() + ")");
        return new Result(process.exitValue(), output);
    }

    @BeforeAll
    static void upBoth() throws Exception {
        Result classMode = emojivoto("up", "--detach", "--port-offset", Integer.toString(CLASS), "--class", "--listen", SHARED,
                "--bot-rate", "2");
        assertThat(classMode.status()).as(classMode.output()).isZero();
        assertThat(classMode.output()).contains("WARNING: --listen 127.0.0.2").contains("http://127.0.0.2:9080/")
                .contains("emojivoto.client=vote-bot");
        Result other = emojivoto("up", "--detach", "--port-offset", Integer.toString(OTHER), "--bot-rate", "0", "--propagation", "w3c");
        assertThat(other.status()).as(other.output()).isZero();
    }

    @AfterAll
    static void downBoth() throws Exception {
        emojivoto("down", "--port-offset", Integer.toString(CLASS));
        emojivoto("down", "--port-offset", Integer.toString(OTHER));
    }

    private static int status(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    @Order(1)
    void two_pipelines_on_moved_port_plans_each_pass_check() throws Exception {
        Result classCheck = emojivoto("check", "--requests", "300", "--port-offset", Integer.toString(CLASS));
        assertThat(classCheck.status()).as(classCheck.output()).isZero();
        assertThat(classCheck.output()).as("class mode traces every request").contains("sampled:                  300 (100.0%")
                .contains("OK: every sampled request has a complete trace");
        // The other speaks W3C from the edge down (--propagation w3c): the same check, unchanged, passes.
        Result otherCheck = emojivoto("check", "--requests", "400", "--port-offset", Integer.toString(OTHER));
        assertThat(otherCheck.status()).as(otherCheck.output()).isZero();
        assertThat(otherCheck.output()).contains("unsampled with spans:     0");
        Result which = emojivoto("status");
        assertThat(which.status()).as("with two running, a command must be told which").isEqualTo(2);
        assertThat(which.output()).contains("several pipelines are recorded; say which with --port-offset");
    }

    @Test
    @Order(2)
    void a_shared_address_has_the_ingress_and_the_trace_ui_and_no_admin_endpoint() throws Exception {
        assertThat(status("http://" + SHARED + ":" + (8080 + CLASS) + "/api/list")).isEqualTo(200);
        assertThat(status("http://" + SHARED + ":" + (9411 + CLASS) + "/zipkin/")).isEqualTo(200);
        Properties ports = new Properties();
        ports.load(Files.newBufferedReader(RUN_DIR.resolve("offset-" + CLASS).resolve("pipeline.properties")));
        for (String admin : List.of("ingress-status", "web-svc.proxy-admin", "web-svc.management", "voting-svc.management",
                "emoji-svc.proxy-admin", "voting-svc.proxy-admin")) {
            int port = Integer.parseInt(ports.getProperty("port." + admin));
            assertThat(refused("http://" + SHARED + ":" + port + "/")).as(admin + " on " + SHARED).isTrue();
            assertThat(refused("http://127.0.0.1:" + port + "/")).as(admin + " on 127.0.0.1").isFalse();
        }
    }

    private static boolean refused(String url) throws Exception {
        try {
            status(url);
            return false;
        } catch (ConnectException e) {
            return true;
        }
    }

    @Test
    @Order(3)
    void in_class_mode_a_person_finds_their_own_requests_apart_from_the_bots() throws Exception {
        String mine = voteFrom(LEARNER, "Mozilla/5.0 (X11; Linux x86_64) a learner's browser");
        ZipkinApi zipkin = new ZipkinApi("http://127.0.0.1:" + (9411 + CLASS));
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> zipkin.trace(mine).stream().anyMatch(s -> s.serviceName().equals("ingress")));
        StoredSpan ingress = zipkin.trace(mine).stream().filter(s -> s.serviceName().equals("ingress")).findFirst().orElseThrow();
        assertThat(ingress.tags()).containsEntry("emojivoto.client", "browser").containsEntry("client.address", LEARNER)
                .containsEntry("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) a learner's browser");
        // The documented queries: Zipkin's search by tag.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !zipkin.tracesTagged("ingress", "emojivoto.client=vote-bot", 10).isEmpty());
        assertThat(zipkin.tracesTagged("ingress", "emojivoto.client=browser", 50)).anySatisfy(trace ->
                assertThat(trace).anySatisfy(s -> assertThat(s.traceId()).isEqualTo(mine)));
    }

    /** docs/workshop/lab-13-baggage.md, with --propagation w3c: the learner's name in the W3C baggage header. */
    @Test
    @Order(3)
    void in_w3c_mode_a_learners_name_rides_in_the_w3c_baggage_header_and_tags_every_services_span() throws Exception {
        String traceId = null;
        for (int i = 0; i < 60 && traceId == null; i++) {
            HttpResponse<Void> vote = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (8080 + OTHER)
                    + "/api/vote?choice=:joy:")).header("Cookie", "learner=grace").timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding());
            java.util.regex.Matcher response = java.util.regex.Pattern.compile("00-([0-9a-f]{32})-[0-9a-f]{16}-0([13])")
                    .matcher(vote.headers().firstValue("traceresponse").orElse(""));
            if (response.matches()) {
                traceId = response.group(1);
            }
        }
        assertThat(traceId).as("a sampled vote within 60").isNotNull();
        List<StoredSpan> spans = io.emojivoto.testkit.Traces.await(new ZipkinApi("http://127.0.0.1:" + (9411 + OTHER)), traceId,
                s -> io.emojivoto.launcher.ExpectedTrace.problems(s, "/api/vote", 200).isEmpty(), Duration.ofSeconds(30));
        assertThat(spans.stream().filter(span -> !span.serviceName().endsWith("-proxy"))).hasSize(6)
                .allSatisfy(span -> assertThat(span.tags()).as(span.toString()).containsEntry("learner", "grace"));
    }

    @Test
    @Order(4)
    void check_groups_what_a_killed_proxy_cost_and_says_a_part_was_down() throws Exception {
        Properties state = new Properties();
        state.load(Files.newBufferedReader(RUN_DIR.resolve("offset-" + OTHER).resolve("pipeline.properties")));
        long proxy = Long.parseLong(state.getProperty("part.voting-svc-proxy.pid"));
        ProcessHandle.of(proxy).orElseThrow().destroyForcibly();
        Result report = emojivoto("check", "--requests", "200", "--port-offset", Integer.toString(OTHER));
        assertThat(report.status()).isEqualTo(1);
        String output = report.output();
        assertThat(output).contains("failed calls:")
                .containsPattern("\\n  web-svc-proxy CLIENT: missing hop voting-svc-proxy SERVER +in +\\d+ traces, e\\.g\\. [0-9a-f]{32}")
                .contains("FAILED: a part was down:").doesNotContain("tracing broke");
        assertThat(output.lines().filter(l -> l.contains("missing hop")).count()).as("one line per hop, not per trace")
                .isLessThanOrEqualTo(2);
        Awaitility.await("the supervisor brings it back").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> emojivoto("status", "--port-offset", Integer.toString(OTHER)).status() == 0);
    }
}
