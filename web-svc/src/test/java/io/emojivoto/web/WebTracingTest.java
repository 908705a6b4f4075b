package io.emojivoto.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.emojivoto.localrun.ZipkinApi;
import io.emojivoto.localrun.StoredSpan;
import io.emojivoto.testkit.Traces;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The three services and a real Zipkin server: a sampled request makes one trace whose spans are
 * web-svc SERVER → web-svc CLIENT → emoji-svc / voting-svc SERVER, each parented correctly; an
 * unsampled one, or one without trace context, reports nothing.
 */
@ExtendWith(Backends.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebTracingTest {

    private static final Duration SPANS_ARRIVE = Duration.ofSeconds(30);

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        Backends.register(registry);
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    private final ZipkinApi zipkin = Backends.get().zipkin().api();

    private static String hex(int bytes) {
        byte[] id = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(id);
        id[0] |= 0x10; // never all zeros
        return HexFormat.of().formatHex(id);
    }

    private static StoredSpan only(List<StoredSpan> spans, String service, String kind) {
        List<StoredSpan> found = spans.stream()
                .filter(s -> s.serviceName().equals(service) && kind.equals(s.kind())).toList();
        assertThat(found).as(service + " " + kind + " in " + spans).hasSize(1);
        return found.get(0);
    }

    private static StoredSpan client(List<StoredSpan> spans, String method) {
        return spans.stream()
                .filter(s -> s.serviceName().equals("web-svc") && "CLIENT".equals(s.kind()) && s.name().equalsIgnoreCase(method))
                .findFirst().orElseThrow(() -> new AssertionError("no web-svc CLIENT " + method + " in " + spans));
    }

    @Test
    void a_sampled_vote_is_one_complete_correctly_parented_trace() {
        String traceId = hex(16);
        String callerSpanId = hex(8);
        var response = new Http(port).get("/api/vote?choice=:joy:",
                "X-B3-TraceId", traceId, "X-B3-SpanId", callerSpanId, "X-B3-Sampled", "1");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-B3-TraceId")).hasValue(traceId);
        assertThat(response.headers().firstValue("X-B3-Sampled")).hasValue("1");

        List<StoredSpan> spans = Traces.await(zipkin, traceId, s -> s.size() >= 5, SPANS_ARRIVE);
        assertThat(spans).hasSize(5).allSatisfy(s -> assertThat(s.traceId()).isEqualTo(traceId));
        Map<String, StoredSpan> byId = spans.stream().collect(Collectors.toMap(StoredSpan::id, Function.identity()));
        assertThat(byId).as("every span has its own id").hasSize(5);

        StoredSpan server = only(spans, "web-svc", "SERVER");
        assertThat(server.parentId()).as("web-svc's span is a child of its caller's").isEqualTo(callerSpanId);
        assertThat(server.name()).isEqualToIgnoringCase("GET /api/vote");

        StoredSpan find = client(spans, "emojivoto.v1.EmojiService/FindByShortcode");
        StoredSpan vote = client(spans, "emojivoto.v1.VotingService/VoteJoy");
        assertThat(find.parentId()).isEqualTo(server.id());
        assertThat(vote.parentId()).isEqualTo(server.id());

        StoredSpan emojiServer = only(spans, "emoji-svc", "SERVER");
        assertThat(emojiServer.parentId()).isEqualTo(find.id());
        assertThat(emojiServer.name()).isEqualToIgnoringCase("emojivoto.v1.EmojiService/FindByShortcode");
        StoredSpan votingServer = only(spans, "voting-svc", "SERVER");
        assertThat(votingServer.parentId()).isEqualTo(vote.id());
        assertThat(votingServer.name()).isEqualToIgnoringCase("emojivoto.v1.VotingService/VoteJoy");
    }

    @Test
    void reported_and_dropped_spans_are_metrics_on_the_management_port_only() {
        String metrics = new Http(managementPort).get("/actuator/prometheus").body();
        assertThat(metrics).contains("zipkin_reporter_spans_total", "zipkin_reporter_spans_dropped_total");
        assertThat(managementPort).isNotEqualTo(port);
        assertThat(new Http(port).get("/actuator/prometheus").statusCode())
                .as("the API's port, which the ingress forwards to, serves no actuator").isEqualTo(404);
    }

    @Test
    void a_request_with_a_malformed_trace_header_is_served_and_the_header_counted() {
        String before = new Http(managementPort).get("/actuator/prometheus").body();
        List<String[]> cases = new java.util.ArrayList<>(io.emojivoto.tracecontext.MalformedTraceHeaders.asPairs());
        cases.addAll(io.emojivoto.tracecontext.MalformedTraceHeaders.invalidTracestates()); // the context stands; the list is counted
        for (String[] pairs : cases) {
            assertThat(new Http(port).get("/api/list", pairs).statusCode()).as(String.join(" ", pairs)).isEqualTo(200);
        }
        assertThat(counted(new Http(managementPort).get("/actuator/prometheus").body()) - counted(before)).isEqualTo(cases.size());
    }

    private static double counted(String metrics) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^emojivoto_trace_headers_malformed_total\\{[^}]*\\} ([0-9.]+)")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void a_failed_doughnut_vote_has_the_error_on_its_voting_span() {
        String traceId = hex(16);
        var response = new Http(port).get("/api/vote?choice=:doughnut:",
                "X-B3-TraceId", traceId, "X-B3-SpanId", hex(8), "X-B3-Sampled", "1");
        assertThat(response.statusCode()).isEqualTo(500);
        List<StoredSpan> spans = Traces.await(zipkin, traceId, s -> s.size() >= 5, SPANS_ARRIVE);
        StoredSpan votingServer = only(spans, "voting-svc", "SERVER");
        assertThat(votingServer.tags()).containsKey("error");
        assertThat(client(spans, "emojivoto.v1.VotingService/VoteDoughnut").tags()).containsKey("error");
        assertThat(only(spans, "web-svc", "SERVER").tags()).containsEntry("error", "500");
        assertThat(only(spans, "emoji-svc", "SERVER").tags()).as("the lookup succeeded").doesNotContainKey("error");
    }

    @Test
    void the_single_b3_header_and_w3c_traceparent_are_joined_too() {
        String b3Trace = hex(16);
        String b3Parent = hex(8);
        new Http(port).get("/api/list", "b3", b3Trace + "-" + b3Parent + "-1");
        String w3cTrace = hex(16);
        String w3cParent = hex(8);
        new Http(port).get("/api/list", "traceparent", "00-" + w3cTrace + "-" + w3cParent + "-01");

        List<StoredSpan> b3 = Traces.await(zipkin, b3Trace, s -> s.size() >= 3, SPANS_ARRIVE);
        assertThat(only(b3, "web-svc", "SERVER").parentId()).isEqualTo(b3Parent);
        assertThat(only(b3, "emoji-svc", "SERVER").parentId()).isEqualTo(client(b3, "emojivoto.v1.EmojiService/ListAll").id());
        List<StoredSpan> w3c = Traces.await(zipkin, w3cTrace, s -> s.size() >= 3, SPANS_ARRIVE);
        assertThat(only(w3c, "web-svc", "SERVER").parentId()).isEqualTo(w3cParent);
    }

    @Test
    void a_future_traceparent_version_and_the_random_trace_id_flag_are_joined() {
        for (String version : new String[] {"00", "cc"}) {
            String trace = hex(16);
            String parent = hex(8);
            String extra = version.equals("cc") ? "-what-the-future-will-be-like" : "";
            new Http(port).get("/api/list", "traceparent", version + "-" + trace + "-" + parent + "-03" + extra);
            List<StoredSpan> spans = Traces.await(zipkin, trace, s -> s.size() >= 3, SPANS_ARRIVE);
            assertThat(only(spans, "web-svc", "SERVER").parentId()).as(version).isEqualTo(parent);
            assertThat(only(spans, "emoji-svc", "SERVER").parentId()).isEqualTo(client(spans, "emojivoto.v1.EmojiService/ListAll").id());
        }
    }

    @Test
    void unsampled_requests_requests_without_context_and_malformed_ones_report_nothing() {
        String unsampled = hex(16);
        var denied = new Http(port).get("/api/vote?choice=:fire:",
                "X-B3-TraceId", unsampled, "X-B3-SpanId", hex(8), "X-B3-Sampled", "0");
        assertThat(denied.statusCode()).isEqualTo(200);
        var noContext = new Http(port).get("/api/vote?choice=:fire:");
        String startedHere = noContext.headers().firstValue("X-B3-TraceId").orElseThrow();
        // Malformed, though each field alone would read as sampled: the proxy leaves it untraced, and so does web-svc.
        String twice = hex(16);
        assertThat(new Http(port).get("/api/vote?choice=:fire:", "traceparent", "00-" + twice + "-" + hex(8) + "-01",
                "traceparent", "00-" + twice + "-" + hex(8) + "-01").statusCode()).isEqualTo(200);
        String b3Twice = hex(16);
        assertThat(new Http(port).get("/api/vote?choice=:fire:", "X-B3-TraceId", b3Twice, "X-B3-SpanId", hex(8),
                "X-B3-Sampled", "1", "X-B3-Sampled", "1").statusCode()).isEqualTo(200);

        // A sampled request sent afterwards: once its spans have arrived, every reporter has
        // flushed past the two requests above, so their absence is not just a delay.
        String barrier = hex(16);
        new Http(port).get("/api/vote?choice=:fire:", "X-B3-TraceId", barrier, "X-B3-SpanId", hex(8), "X-B3-Sampled", "1");
        Traces.await(zipkin, barrier, s -> s.size() >= 5, SPANS_ARRIVE);

        assertThat(zipkin.trace(unsampled)).isEmpty();
        assertThat(zipkin.trace(startedHere)).isEmpty();
        assertThat(zipkin.trace(twice)).isEmpty();
        assertThat(zipkin.trace(b3Twice)).isEmpty();
    }
}
