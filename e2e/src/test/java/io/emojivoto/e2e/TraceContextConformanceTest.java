package io.emojivoto.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.emojivoto.launcher.PortPlan;
import io.emojivoto.localrun.StoredSpan;
import io.emojivoto.testkit.Traces;
import io.emojivoto.tracecontext.W3cConformanceCases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * docs/proxy.md's W3C conformance table, row by row, through the running pipeline: each request goes
 * straight to web-svc's proxy (the ingress would start a trace of its own), and the trace backend
 * shows whether the proxy took part (its span a child of the span id the request arrived with, and
 * the vote's trace complete down to voting-svc) or left the request alone (no span of that trace
 * anywhere: no part below started one either).
 */
@ExtendWith(RunningPipeline.class)
class TraceContextConformanceTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static String webSvcProxy(String pathAndQuery) {
        PortPlan ports = RunningPipeline.get().ports();
        return "http://127.0.0.1:" + ports.port("web-svc") + pathAndQuery;
    }

    private static HttpResponse<String> send(String method, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(webSvcProxy("/api/vote" + (body == null ? "?choice=:joy:" : ""))))
                .timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String hex(int bytes) {
        byte[] id = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(id);
        id[0] |= 0x10;
        return HexFormat.of().formatHex(id);
    }

    @Test
    void every_row_of_the_w3c_conformance_table_through_web_svcs_proxy() throws Exception {
        Map<W3cConformanceCases.Case, String[]> sent = new LinkedHashMap<>();
        List<String> problems = new java.util.ArrayList<>();
        for (W3cConformanceCases.Case row : W3cConformanceCases.all()) {
            String[] ids = {hex(16), hex(8)};
            sent.put(row, ids);
            assertThat(send("GET", null, row.headers(ids[0], ids[1])).statusCode()).as(row.id() + ": a vote is served").isEqualTo(200);
        }
        for (Map.Entry<W3cConformanceCases.Case, String[]> entry : sent.entrySet()) {
            W3cConformanceCases.Case row = entry.getKey();
            if (!row.proxy().continues()) {
                continue;
            }
            String trace = entry.getValue()[0];
            String span = entry.getValue()[1];
            List<StoredSpan> spans;
            try {
                spans = Traces.await(RunningPipeline.backend(), trace,
                        s -> s.stream().anyMatch(x -> x.serviceName().equals("voting-svc")), Duration.ofSeconds(20));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                problems.add(row.id() + ": no voting-svc span in " + RunningPipeline.backend().trace(trace));
                continue;
            }
            StoredSpan proxy = spans.stream().filter(s -> s.serviceName().equals("web-svc-proxy") && s.kind().equals("SERVER"))
                    .findFirst().orElse(null);
            if (proxy == null || !span.equals(proxy.parentId())) {
                problems.add(row.id() + ": web-svc's proxy's span is not a child of " + span + ": " + spans);
            } else if (spans.stream().noneMatch(s -> s.serviceName().equals("web-svc") && s.kind().equals("SERVER")
                    && proxy.id().equals(s.parentId()))) {
                problems.add(row.id() + ": web-svc's span is not a child of the proxy's: " + spans);
            }
        }
        assertThat(problems).isEmpty();
        // The rows the proxy leaves alone: by now every span of the others has arrived, and none of these.
        for (Map.Entry<W3cConformanceCases.Case, String[]> entry : sent.entrySet()) {
            if (!entry.getKey().proxy().continues()) {
                assertThat(RunningPipeline.backend().trace(entry.getValue()[0])).as(entry.getKey().id() + ": no trace").isEmpty();
            }
        }
    }

    @Test
    void a_small_post_vote_is_counted_in_the_proxys_span() throws Exception {
        String trace = hex(16);
        String body = "choice=:rocket:";
        HttpResponse<String> response = send("POST", body, "Content-Type", "application/x-www-form-urlencoded",
                "X-B3-TraceId", trace, "X-B3-SpanId", hex(8), "X-B3-Sampled", "1");
        assertThat(response.statusCode()).isEqualTo(200);
        List<StoredSpan> spans = Traces.await(RunningPipeline.backend(), trace,
                s -> s.stream().anyMatch(x -> x.serviceName().equals("web-svc-proxy") && x.kind().equals("SERVER")), Duration.ofSeconds(30));
        assertThat(spans).filteredOn(s -> s.serviceName().equals("web-svc-proxy") && s.kind().equals("SERVER"))
                .singleElement().satisfies(s -> assertThat(s.tags()).containsEntry("http.request.body.size", Integer.toString(body.length())));
    }
}
