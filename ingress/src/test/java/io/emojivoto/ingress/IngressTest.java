package io.emojivoto.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emojivoto.localrun.FreePort;
import io.emojivoto.localrun.ProjectPaths;
import io.emojivoto.testkit.Traces;
import io.emojivoto.testkit.ZipkinServer;
import io.emojivoto.localrun.StoredSpan;
import io.emojivoto.tracecontext.W3cConformanceCases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The real nginx with our Lua, on free ports, with a recording upstream and a real Zipkin server. */
class IngressTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static ZipkinServer zipkin;
    private static RecordingUpstream upstream;
    private final List<NginxIngress> started = new ArrayList<>();

    @BeforeAll
    static void startBackends() {
        zipkin = ZipkinServer.start();
        upstream = new RecordingUpstream();
    }

    @AfterAll
    static void stopBackends() {
        upstream.close();
        zipkin.close();
    }

    @AfterEach
    void stopIngresses() {
        started.forEach(NginxIngress::close);
        upstream.drain();
    }

    private NginxIngress ingress(Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(NginxIngress.env(zipkin.spansEndpoint(), 0.5));
        env.put("SPAN_FLUSH_INTERVAL", "0.2");
        env.putAll(extraEnv);
        int port = FreePort.next();
        NginxIngress ingress = NginxIngress.start(NginxIngress.Settings.local(
                ProjectPaths.root().resolve("ingress/nginx"), Path.of("target", "nginx-" + port).toAbsolutePath(),
                port, FreePort.next(), upstream.address(), env));
        started.add(ingress);
        return ingress;
    }

    private static HttpResponse<String> get(String url, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends n requests from 8 threads; returns every response. */
    private static List<HttpResponse<String>> load(String url, int n, String... headers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> get(url, headers)));
            }
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (Future<HttpResponse<String>> f : futures) {
                responses.add(f.get());
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }

    private static JsonNode status(NginxIngress ingress) {
        return JSON.readTree(get(ingress.statusUrl("/status")).body());
    }

    @Test
    void ids_are_well_formed_and_unique_and_half_the_requests_are_sampled() throws Exception {
        NginxIngress ingress = ingress(Map.of("SPAN_BUFFER_MAX", "1"));  // this test is about headers, not spans
        int n = 10_000;
        List<HttpResponse<String>> responses = load(ingress.url("/api/list"), n);
        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
        List<RecordingUpstream.Seen> seen = upstream.drain();
        assertThat(seen).hasSize(n);
        Set<String> traceIds = new HashSet<>();
        Set<String> spanIds = new HashSet<>();
        int sampled = 0;
        for (RecordingUpstream.Seen s : seen) {
            assertThat(s.traceId()).matches("[0-9a-f]{32}");
            assertThat(s.spanId()).matches("[0-9a-f]{16}");
            assertThat(s.sampled()).isIn("0", "1");
            assertThat(s.parentSpanId()).isNull();
            traceIds.add(s.traceId());
            spanIds.add(s.spanId());
            sampled += s.sampled().equals("1") ? 1 : 0;
        }
        assertThat(traceIds).hasSize(n);
        assertThat(spanIds).hasSize(n);
        // Binomial(10000, 0.5): sigma = 50, so 0.47-0.53 is six sigma either side.
        assertThat(sampled / (double) n).isBetween(0.47, 0.53);
        assertThat(status(ingress).path("requests").asLong()).isEqualTo(n);
        assertThat(status(ingress).path("sampled").asLong()).isEqualTo(sampled);
    }

    @Test
    void sample_rate_zero_samples_nothing_and_one_samples_everything() throws Exception {
        load(ingress(Map.of("SAMPLE_RATE", "0")).url("/"), 300);
        assertThat(upstream.drain()).hasSize(300).allSatisfy(s -> assertThat(s.sampled()).isEqualTo("0"));
        load(ingress(Map.of("SAMPLE_RATE", "1")).url("/"), 300);
        assertThat(upstream.drain()).hasSize(300).allSatisfy(s -> assertThat(s.sampled()).isEqualTo("1"));
    }

    private static HttpResponse<String> send(String method, String url, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        request = json == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void the_sample_rate_switch_changes_sampling_at_the_next_request_without_a_reload() throws Exception {
        NginxIngress ingress = ingress(Map.of("SAMPLE_RATE", "0.5"));
        long pid = ingress.process().pid();
        JsonNode faults = JSON.readTree(get(ingress.statusUrl("/faults")).body());
        assertThat(faults.path("part").asString()).isEqualTo("ingress");
        JsonNode sampleRate = faults.path("switches").get(0);
        assertThat(sampleRate.path("name").asString()).isEqualTo("sample-rate");
        assertThat(sampleRate.path("value").asString()).isEqualTo("0.5");
        assertThat(sampleRate.path("start").asString()).isEqualTo("0.5");
        assertThat(sampleRate.path("allowed").asString()).isEqualTo("a number from 0 to 1");
        assertThat(get(ingress.url("/")).headers().firstValue("X-Emojivoto-Sample-Rate")).as("the rate in force, for the page")
                .hasValue("0.5");
        assertThat(send("POST", ingress.statusUrl("/faults/sample-rate"), "{\"value\":\"1\"}").statusCode()).isEqualTo(200);
        assertThat(get(ingress.url("/")).headers().firstValue("X-Emojivoto-Sample-Rate")).hasValue("1");
        upstream.drain();
        load(ingress.url("/"), 200);
        assertThat(upstream.drain()).hasSize(200).allSatisfy(s -> assertThat(s.sampled()).isEqualTo("1"));
        assertThat(status(ingress).path("sample_rate").asDouble()).isEqualTo(1.0);

        assertThat(send("POST", ingress.statusUrl("/faults/sample-rate"), "{\"value\":\"0\"}").statusCode()).isEqualTo(200);
        load(ingress.url("/"), 200);
        assertThat(upstream.drain()).hasSize(200).allSatisfy(s -> assertThat(s.sampled()).isEqualTo("0"));

        assertThat(send("DELETE", ingress.statusUrl("/faults"), null).body()).contains("\"value\":\"0.5\"");
        assertThat(ingress.process().pid()).as("the same nginx, not reloaded").isEqualTo(pid);
    }

    @Test
    void a_sample_rate_set_blind_samples_at_that_rate_and_names_it_nowhere_until_revealed() throws Exception {
        NginxIngress ingress = ingress(Map.of("SAMPLE_RATE", "0.5"));
        assertThat(send("POST", ingress.statusUrl("/faults/sample-rate"), "{\"value\":\"1\",\"blind\":true}").statusCode())
                .isEqualTo(200);
        HttpResponse<String> page = get(ingress.url("/"));
        assertThat(page.headers().firstValue("X-Emojivoto-Sample-Rate")).as("the page is told it is hidden, not the rate")
                .hasValue("hidden");
        upstream.drain();
        load(ingress.url("/"), 50);
        assertThat(upstream.drain()).hasSize(50).allSatisfy(s -> assertThat(s.sampled()).isEqualTo("1"));
        assertThat(get(ingress.statusUrl("/faults")).body()).contains("\"value\":\"hidden\"").doesNotContain("\"value\":\"1\"");
        assertThat(get(ingress.statusUrl("/faults?reveal=true")).body()).contains("\"value\":\"1\"");
        assertThat(status(ingress).path("sample_rate").asString()).isEqualTo("hidden");
        assertThat(send("POST", ingress.statusUrl("/faults/sample-rate"), "{\"value\":\"1\",\"emoji\":\":ghost:\"}").body())
                .contains("cannot be limited to one emoji");
        send("DELETE", ingress.statusUrl("/faults"), null);
        assertThat(get(ingress.url("/")).headers().firstValue("X-Emojivoto-Sample-Rate")).hasValue("0.5");
        assertThat(status(ingress).path("lua_errors").asLong()).isZero();
    }

    @Test
    void a_bad_switch_value_is_a_400_json_error_and_the_rate_stays() throws Exception {
        NginxIngress ingress = ingress(Map.of("SAMPLE_RATE", "0.25"));
        for (String bad : new String[] {"{\"value\":\"x\"}", "{\"value\":\"2\"}", "{\"value\":\"-0.1\"}", "{\"value\":1}",
                "not json", ""}) {
            HttpResponse<String> response = send("POST", ingress.statusUrl("/faults/sample-rate"), bad);
            assertThat(response.statusCode()).as(bad).isEqualTo(400);
            assertThat(response.body()).as(bad).startsWith("{\"error\":\"sample-rate must be a number from 0 to 1");
        }
        assertThat(send("POST", ingress.statusUrl("/faults/brakes"), "{\"value\":\"on\"}").body())
                .contains("ingress has no switch 'brakes'");
        assertThat(status(ingress).path("sample_rate").asDouble()).isEqualTo(0.25);
        assertThat(status(ingress).path("lua_errors").asLong()).isZero();
        // The public listener forwards /faults to web-svc like any path: the switch is not there.
        HttpResponse<String> viaIngress = send("POST", ingress.url("/faults/sample-rate"), "{\"value\":\"1\"}");
        assertThat(viaIngress.body()).doesNotContain("sample-rate");
        assertThat(status(ingress).path("sample_rate").asDouble()).isEqualTo(0.25);
    }

    @Test
    void the_response_and_the_access_log_carry_the_trace_id() throws Exception {
        NginxIngress ingress = ingress(Map.of());
        HttpResponse<String> response = get(ingress.url("/api/vote?choice=:joy:"));
        RecordingUpstream.Seen seen = upstream.drain().get(0);
        assertThat(response.headers().allValues("X-B3-TraceId")).containsExactly(seen.traceId());
        assertThat(response.headers().firstValue("X-B3-Sampled")).hasValue(seen.sampled());
        Path accessLog = ingress.prefix().resolve("logs/access.log");
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> Files.readString(accessLog).contains("trace=" + seen.traceId()));
        // ... with the time to the millisecond (t=<epoch seconds>.<ms>), which `./emojivoto logs` orders the parts' lines by
        String line = Files.readAllLines(accessLog).stream().filter(l -> l.contains(seen.traceId())).findFirst().orElseThrow();
        java.util.regex.Matcher t = java.util.regex.Pattern.compile(" t=(\\d+)\\.(\\d{3})$").matcher(line);
        assertThat(t.find()).as(line).isTrue();
        assertThat(Math.abs(Long.parseLong(t.group(1)) - System.currentTimeMillis() / 1000)).isLessThan(60);
    }

    @Test
    void the_learners_cookie_becomes_baggage_in_the_pipelines_format_and_no_client_baggage_passes() throws Exception {
        NginxIngress b3 = ingress(Map.of("SAMPLE_RATE", "1"));
        upstream.drain();
        HttpResponse<String> response = get(b3.url("/api/vote?choice=:joy:"), "Cookie", "theme=dark; learner=ada",
                "baggage", "learner=mallory,tenant=x", "baggage-learner", "mallory", "Baggage-Tenant", "x");
        assertThat(upstream.drain().get(0).baggage()).as("ours alone, in B3's convention")
                .isEqualTo(Map.of("baggage-learner", List.of("ada")));
        String traceId = response.headers().firstValue("X-B3-TraceId").orElseThrow();
        assertThat(Traces.await(zipkin.api(), traceId, s -> !s.isEmpty(), Duration.ofSeconds(20)).get(0).tags())
                .containsEntry("learner", "ada");

        NginxIngress w3c = ingress(Map.of("TRACE_PROPAGATION", "w3c"));
        upstream.drain();
        get(w3c.url("/api/list"), "Cookie", "learner=ada");
        assertThat(upstream.drain().get(0).baggage()).isEqualTo(Map.of("baggage", List.of("learner=ada")));

        // Without the cookie, no baggage at all, whatever the client sent.
        get(b3.url("/api/list"), "baggage", "learner=mallory");
        assertThat(upstream.drain().get(0).baggage()).isEmpty();
        assertThat(status(b3).path("baggage_dropped").asLong()).isZero();
    }

    @Test
    void a_learners_name_that_is_not_a_short_plain_word_is_dropped_and_counted_never_passed_on() throws Exception {
        NginxIngress ingress = ingress(Map.of());
        upstream.drain();
        for (String bad : new String[] {"%3Cscript%3E", "a".repeat(33), "ada%2Cadmin%3Dtrue", "ada lovelace", "\"ada\""}) {
            assertThat(get(ingress.url("/api/list"), "Cookie", "learner=" + bad).statusCode()).as(bad).isEqualTo(200);
        }
        assertThat(upstream.drain()).hasSize(5).allSatisfy(seen -> assertThat(seen.baggage()).isEmpty());
        assertThat(status(ingress).path("baggage_dropped").asLong()).isEqualTo(5);
        assertThat(status(ingress).path("lua_errors").asLong()).isZero();
    }

    @Test
    void incoming_trace_headers_are_replaced_by_default() throws Exception {
        NginxIngress ingress = ingress(Map.of("SAMPLE_RATE", "0"));
        String forcedTrace = "463ac35c9f6413ad48485a3953bb6124";
        load(ingress.url("/"), 50, "X-B3-TraceId", forcedTrace, "X-B3-SpanId", "a2fb4a1d1a96d312",
                "X-B3-Sampled", "1", "X-B3-Flags", "1", "X-B3-ParentSpanId", "0020000000000001",
                "b3", forcedTrace + "-a2fb4a1d1a96d312-1", "traceparent", "00-" + forcedTrace + "-a2fb4a1d1a96d312-01");
        assertThat(upstream.drain()).hasSize(50).allSatisfy(s -> {
            assertThat(s.traceId()).isNotEqualTo(forcedTrace);
            assertThat(s.sampled()).as("a client cannot force sampling").isEqualTo("0");
            assertThat(s.parentSpanId()).isNull();
            assertThat(s.b3()).isNull();
            assertThat(s.traceparent()).isNull();
        });
    }

    @Test
    void incoming_trace_headers_are_continued_when_trust_is_on() throws Exception {
        NginxIngress ingress = ingress(Map.of("TRUST_INCOMING_TRACE", "true", "SAMPLE_RATE", "0"));
        String trace = "463ac35c9f6413ad48485a3953bb6124";
        get(ingress.url("/"), "X-B3-TraceId", trace, "X-B3-SpanId", "a2fb4a1d1a96d312", "X-B3-Sampled", "1");
        get(ingress.url("/"), "b3", "5af7183fb1d4cf5f7b1a8b3e1f3d2c11-b7ad6b7169203331-0");
        get(ingress.url("/"), "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        get(ingress.url("/"), "X-B3-TraceId", "not-hex", "X-B3-SpanId", "a2fb4a1d1a96d312", "X-B3-Sampled", "1");
        List<RecordingUpstream.Seen> seen = upstream.drain();
        assertThat(seen.get(0).traceId()).isEqualTo(trace);
        assertThat(seen.get(0).parentSpanId()).isEqualTo("a2fb4a1d1a96d312");
        assertThat(seen.get(0).spanId()).isNotEqualTo("a2fb4a1d1a96d312").matches("[0-9a-f]{16}");
        assertThat(seen.get(0).sampled()).isEqualTo("1");
        assertThat(seen.get(1).traceId()).isEqualTo("5af7183fb1d4cf5f7b1a8b3e1f3d2c11");
        assertThat(seen.get(1).sampled()).isEqualTo("0");
        assertThat(seen.get(1).b3()).as("downstream gets one context, as B3 multi").isNull();
        assertThat(seen.get(2).traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(seen.get(2).sampled()).isEqualTo("1");
        assertThat(seen.get(3).traceId()).as("malformed: a fresh trace").isNotEqualTo("not-hex").matches("[0-9a-f]{32}");
        assertThat(status(ingress).path("lua_errors").asLong()).isZero();
    }

    @Test
    void spans_reach_zipkin_for_exactly_the_sampled_requests() throws Exception {
        NginxIngress ingress = ingress(Map.of());
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            responses.add(get(ingress.url("/api/vote?choice=:joy:&n=" + i)));
        }
        responses.add(get(ingress.url("/api/vote?status=503")));
        Map<Boolean, List<String>> bySampling = responses.stream().collect(Collectors.partitioningBy(
                r -> r.headers().firstValue("X-B3-Sampled").orElseThrow().equals("1"),
                Collectors.mapping(r -> r.headers().firstValue("X-B3-TraceId").orElseThrow(), Collectors.toList())));
        List<String> sampled = bySampling.get(true);
        assertThat(sampled).isNotEmpty();
        for (String traceId : sampled) {
            List<StoredSpan> spans = Traces.await(zipkin.api(), traceId, s -> !s.isEmpty(), Duration.ofSeconds(20));
            assertThat(spans).hasSize(1);
            StoredSpan span = spans.get(0);
            assertThat(span.serviceName()).isEqualTo("ingress");
            assertThat(span.kind()).isEqualTo("SERVER");
            assertThat(span.name()).isEqualTo("get /api/vote");
            assertThat(span.isRoot()).isTrue();
            assertThat(span.duration()).isPositive();
            assertThat(span.tags()).containsEntry("http.request.method", "GET").containsEntry("url.path", "/api/vote")
                    .containsEntry("emojivoto.upstream.address", upstream.address()).containsKey("http.response.status_code");
        }
        // Microseconds survive the JSON encoding: rounded to 100 µs they would all end in 00 (and the
        // OpenTelemetry Collector, which reads them as integers, would refuse 1.7649e+15 outright).
        assertThat(sampled.stream().map(id -> zipkin.api().trace(id).get(0).timestamp()))
                .anySatisfy(timestamp -> assertThat(timestamp % 100).isNotZero());
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> status(ingress).path("spans_sent").asLong() == sampled.size());
        for (String traceId : bySampling.get(false)) {
            assertThat(zipkin.api().trace(traceId)).as("unsampled " + traceId).isEmpty();
        }
        String failed = responses.get(responses.size() - 1).headers().firstValue("X-B3-TraceId").orElseThrow();
        if (sampled.contains(failed)) {
            assertThat(zipkin.api().trace(failed).get(0).tags()).containsEntry("error", "503");
        }
    }

    @Test
    void a_dead_collector_costs_no_request_anything_and_the_loss_is_counted() throws Exception {
        int deadPort = FreePort.next();
        NginxIngress ingress = ingress(Map.of("ZIPKIN_ENDPOINT", "http://127.0.0.1:" + deadPort + "/api/v2/spans",
                "SAMPLE_RATE", "1"));
        assertRequestsStayFast(ingress);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> status(ingress).path("spans_dropped").asLong() == 300);
        assertThat(status(ingress).path("flush_errors").asLong()).isPositive();
    }

    @Test
    void a_collector_that_never_answers_costs_no_request_anything() throws Exception {
        try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(blackHole.accept()); // accept, read nothing, answer nothing
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.start();
            NginxIngress ingress = ingress(Map.of("ZIPKIN_ENDPOINT", "http://127.0.0.1:" + blackHole.getLocalPort() + "/api/v2/spans",
                    "SAMPLE_RATE", "1"));
            assertRequestsStayFast(ingress);
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> status(ingress).path("flush_errors").asLong() > 0);
        }
    }

    private static void assertRequestsStayFast(NginxIngress ingress) throws Exception {
        for (int i = 0; i < 300; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = get(ingress.url("/api/list"));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
        }
    }

    @Test
    void a_graceful_stop_flushes_the_spans_still_buffered() throws Exception {
        NginxIngress ingress = ingress(Map.of("SAMPLE_RATE", "1", "SPAN_FLUSH_INTERVAL", "60"));
        List<String> traceIds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            traceIds.add(get(ingress.url("/api/leaderboard")).headers().firstValue("X-B3-TraceId").orElseThrow());
        }
        assertThat(status(ingress).path("spans_queued").asLong()).isEqualTo(5);
        ingress.stopGracefully();
        for (String traceId : traceIds) {
            assertThat(Traces.await(zipkin.api(), traceId, s -> !s.isEmpty(), Duration.ofSeconds(10))).hasSize(1);
        }
    }

    @Test
    void bad_input_gets_nginx_4xx_answers_and_never_a_lua_error() throws Exception {
        NginxIngress ingress = ingress(Map.of("SAMPLE_RATE", "1"));
        assertThat(get(ingress.url("/"), "X-Junk", "x".repeat(20_000)).statusCode()).isBetween(400, 499);
        assertThat(rawStatusLine(ingress.port(), "G@T /coffee HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThat(rawStatusLine(ingress.port(), "GET / HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThat(rawStatusLine(ingress.port(), "total garbage\r\n\r\n")).startsWith("HTTP/1.1 400");
        HttpResponse<String> big = HTTP.send(HttpRequest.newBuilder(URI.create(ingress.url("/api/vote")))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(200_000))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(get(ingress.url("/"), "b3", "\u00ff\u00fe-zz").statusCode()).isEqualTo(200);
        assertThat(status(ingress).path("lua_errors").asLong()).isZero();
        assertThat(get(ingress.url("/")).statusCode()).as("still serving").isEqualTo(200);
    }

    private static String rawStatusLine(int port, String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            byte[] buffer = new byte[512];
            int read = socket.getInputStream().read(buffer);
            String response = new String(buffer, 0, Math.max(read, 0), StandardCharsets.ISO_8859_1);
            return response.lines().findFirst().orElse("");
        }
    }

    @Test
    void an_invalid_setting_stops_startup_with_a_clear_message() {
        assertThatThrownBy(() -> ingress(Map.of("SAMPLE_RATE", "lots")))
                .hasMessageContaining("SAMPLE_RATE must be a number from 0 to 1");
        assertThatThrownBy(() -> ingress(Map.of("TRACE_PROPAGATION", "zipkin")))
                .hasMessageContaining("TRACE_PROPAGATION must be b3 or w3c");
    }

    @Test
    void in_w3c_mode_it_sends_only_a_fresh_traceparent_and_answers_with_traceresponse() throws Exception {
        NginxIngress ingress = ingress(Map.of("TRACE_PROPAGATION", "w3c", "SAMPLE_RATE", "1"));
        String forced = "00-" + "4bf92f3577b34da6a3ce929d0e0e4736" + "-00f067aa0ba902b7-01";
        HttpResponse<String> response = get(ingress.url("/api/vote?choice=:joy:"), "traceparent", forced,
                "tracestate", "congo=t61rcWkgMzE", "X-B3-TraceId", "463ac35c9f6413ad", "X-B3-SpanId", "a2fb4a1d1a96d312",
                "X-B3-Sampled", "1");
        RecordingUpstream.Seen seen = upstream.drain().get(0);
        assertThat(seen.traceId()).as("no B3 header goes on").isNull();
        assertThat(seen.spanId()).isNull();
        assertThat(seen.sampled()).isNull();
        assertThat(seen.b3()).isNull();
        assertThat(seen.traceparent()).as("sampled, and a random trace id (Level 2)").matches("00-[0-9a-f]{32}-[0-9a-f]{16}-03")
                .doesNotContain("4bf92f3577b34da6")
                .as("a client cannot join or force a trace").doesNotContain("00f067aa0ba902b7");
        assertThat(response.headers().firstValue("traceresponse")).hasValue(seen.traceparent());
        String traceId = seen.traceparent().substring(3, 35);
        assertThat(Traces.await(zipkin.api(), traceId, spans -> !spans.isEmpty(), Duration.ofSeconds(20)).get(0).id())
                .as("the span id it forwarded is its own span's").isEqualTo(seen.traceparent().substring(36, 52));
        load(ingress(Map.of("TRACE_PROPAGATION", "w3c", "SAMPLE_RATE", "0")).url("/"), 50);
        assertThat(upstream.drain()).hasSize(50).allSatisfy(s -> assertThat(s.traceparent()).endsWith("-02"));
    }

    @Test
    void under_trust_in_w3c_mode_every_row_of_the_conformance_table() {
        NginxIngress ingress = ingress(Map.of("TRUST_INCOMING_TRACE", "true", "TRACE_PROPAGATION", "w3c", "SAMPLE_RATE", "1"));
        java.util.regex.Pattern traceparent = java.util.regex.Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
        for (W3cConformanceCases.Case row : W3cConformanceCases.all()) {
            String trace = java.util.HexFormat.of().formatHex(randomBytes(16));
            String span = java.util.HexFormat.of().formatHex(randomBytes(8));
            assertThat(get(ingress.url("/"), row.headers(trace, span)).statusCode()).as(row.id()).isEqualTo(200);
            RecordingUpstream.Seen seen = upstream.drain().get(0);
            java.util.regex.Matcher sent = traceparent.matcher(seen.traceparent());
            assertThat(sent.matches()).as(row.id() + ": " + seen.traceparent()).isTrue();
            if (row.ingress().continues()) {
                assertThat(sent.group(1)).as(row.id()).isEqualTo(trace);
                assertThat(sent.group(2)).as(row.id() + ": its own span id").isNotEqualTo(span);
                assertThat(sent.group(3)).as(row.id()).isEqualTo(row.ingress().flags());
                assertThat(seen.tracestate()).as(row.id()).isEqualTo(row.ingress().tracestate());
            } else {
                assertThat(sent.group(1)).as(row.id() + ": a trace of its own").isNotEqualTo(trace);
                assertThat(sent.group(3)).as(row.id() + ": sampled, a random trace id").isEqualTo("03");
                assertThat(seen.tracestate()).as(row.id()).isNull();
            }
        }
        assertThat(status(ingress).path("lua_errors").asLong()).isZero();
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(bytes);
        bytes[0] |= 0x10; // never all zeros
        return bytes;
    }

    @Test
    void a_missing_nginx_or_lua_module_is_a_clear_error() {
        NginxIngress.Settings settings = NginxIngress.Settings.local(Path.of("."), Path.of("target/x"), 1, 2, "127.0.0.1:3", Map.of());
        assertThatThrownBy(() -> NginxIngress.checkInstalled(settings.withNginx(new NginxIngress.Nginx("/nonexistent/nginx", Path.of("/usr/lib/nginx/modules")))))
                .hasMessageContaining("nginx is not installed").hasMessageContaining("apt-get install");
        assertThatThrownBy(() -> NginxIngress.checkInstalled(settings.withNginx(new NginxIngress.Nginx("/usr/sbin/nginx", Path.of("/nonexistent")))))
                .hasMessageContaining("Lua module is not installed").hasMessageContaining("libnginx-mod-http-lua");
    }

    @Test
    void nginx_is_found_as_nginx_bin_names_it_then_debians_then_openresty_on_path(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path openresty = dir.resolve("openresty");
        Files.writeString(openresty, "#!/bin/sh\necho 'nginx version: openresty/1.27.1.2' >&2\necho 'configure arguments: --add-module=../ngx_lua-0.10.27' >&2\n");
        openresty.toFile().setExecutable(true);
        Path plain = dir.resolve("plain-nginx");
        Files.writeString(plain, "#!/bin/sh\necho 'nginx version: nginx/1.22.1' >&2\necho 'configure arguments: --with-http_ssl_module' >&2\n");
        plain.toFile().setExecutable(true);

        assertThat(NginxIngress.Nginx.find(Map.of("NGINX_BIN", plain.toString())).binary()).isEqualTo(plain.toString());
        assertThat(NginxIngress.Nginx.find(Map.of("PATH", dir.toString()))).as("Debian's nginx, installed here, comes first")
                .isEqualTo(NginxIngress.Nginx.DEBIAN);
        NginxIngress.checkInstalled(new NginxIngress.Nginx(openresty.toString(), null)); // Lua built in: fine
        assertThatThrownBy(() -> NginxIngress.checkInstalled(NginxIngress.Nginx.find(Map.of("NGINX_BIN", plain.toString()))))
                .hasMessageContaining(plain + " has no Lua module built in").hasMessageContaining("OpenResty");
    }
}
