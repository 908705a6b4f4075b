package io.emojivoto.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.emojivoto.localrun.StoredSpan;
import io.emojivoto.testkit.Traces;
import io.emojivoto.testkit.ZipkinServer;
import io.emojivoto.tracecontext.W3cConformanceCases;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The trace context an HTTP/1.1 request carries through the proxy, against a real Zipkin: every row of
 * docs/proxy.md's W3C conformance table (what is forwarded, and the span the proxy reports), and what
 * the span counts.
 */
@ExtendWith(NoBufferLeaks.class)
class ProxyTraceContextTest {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static ZipkinServer zipkin;
    private static HttpServer backend;
    private static ProxyServer proxy;
    /** The trace headers each request reached the app with, by the request's path; every line of a field, in order. */
    private static final Map<String, Map<String, List<String>>> arrived = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        zipkin = ZipkinServer.start();
        backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        backend.createContext("/", exchange -> {
            Map<String, List<String>> trace = new LinkedHashMap<>();
            for (String name : List.of("traceparent", "tracestate", "x-b3-traceid", "x-b3-spanid")) {
                List<String> values = exchange.getRequestHeaders().get(name);
                if (values != null) {
                    trace.put(name, values);
                }
            }
            exchange.getRequestBody().readAllBytes();
            arrived.put(exchange.getRequestURI().getPath(), trace);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        backend.start();
        proxy = ProxyGrpcTest.startProxy("tc-proxy", Map.of("INBOUND_LISTEN", "127.0.0.1:0",
                "APP_ADDRESS", "127.0.0.1:" + backend.getAddress().getPort(), "ZIPKIN_ENDPOINT", zipkin.spansEndpoint()));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        backend.stop(0);
        zipkin.close();
    }

    private static HttpResponse<Void> send(String path, String method, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.inboundAddress().getPort() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.discarding());
    }

    private static List<String> sent(String[] headers, String name) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equals(name)) {
                values.add(headers[i + 1]);
            }
        }
        return values;
    }

    @Test
    void every_row_of_the_w3c_conformance_table() throws Exception {
        Map<W3cConformanceCases.Case, String[]> ids = new LinkedHashMap<>();
        for (W3cConformanceCases.Case row : W3cConformanceCases.all()) {
            String[] traceAndSpan = {ProxyGrpcTest.hex(16), ProxyGrpcTest.hex(8)};
            ids.put(row, traceAndSpan);
            assertThat(send("/" + row.id(), "GET", null, row.headers(traceAndSpan[0], traceAndSpan[1])).statusCode()).isEqualTo(200);
        }
        for (Map.Entry<W3cConformanceCases.Case, String[]> entry : ids.entrySet()) {
            W3cConformanceCases.Case row = entry.getKey();
            String trace = entry.getValue()[0];
            String span = entry.getValue()[1];
            String[] headers = row.headers(trace, span);
            Map<String, List<String>> forwarded = arrived.get("/" + row.id());
            if (!row.proxy().continues()) {
                assertThat(forwarded.getOrDefault("traceparent", List.of())).as(row.id() + ": untouched").isEqualTo(sent(headers, "traceparent"));
                assertThat(forwarded.getOrDefault("tracestate", List.of())).as(row.id() + ": untouched").isEqualTo(sent(headers, "tracestate"));
                continue;
            }
            String traceparent = forwarded.get("traceparent").get(0);
            assertThat(traceparent).as(row.id()).matches("00-" + trace + "-[0-9a-f]{16}-" + row.proxy().flags());
            List<String> tracestate = forwarded.get("tracestate");
            assertThat(tracestate == null ? null : String.join(",", tracestate)).as(row.id()).isEqualTo(row.proxy().tracestate());
            StoredSpan proxySpan = Traces.await(zipkin.api(), trace, s -> !s.isEmpty(), Duration.ofSeconds(20)).get(0);
            assertThat(proxySpan.parentId()).as(row.id() + ": a child of the span the request came from").isEqualTo(span);
            assertThat(proxySpan.id()).as(row.id() + ": the parent the app is told of").isEqualTo(traceparent.substring(36, 52));
        }
        assertThat(proxy.metrics().malformedTraceHeaders()).as("every invalid row is counted").isPositive();
    }

    @Test
    void a_small_post_whose_body_came_with_its_head_is_counted_in_the_span() throws Exception {
        String trace = ProxyGrpcTest.hex(16);
        String body = "choice=:joy:";
        send("/api/vote", "POST", body, "X-B3-TraceId", trace, "X-B3-SpanId", ProxyGrpcTest.hex(8), "X-B3-Sampled", "1",
                "Content-Type", "application/x-www-form-urlencoded");
        StoredSpan span = Traces.await(zipkin.api(), trace, s -> !s.isEmpty(), Duration.ofSeconds(20)).get(0);
        assertThat(span.tags()).containsEntry("http.request.method", "POST").containsEntry("http.request.body.size", Integer.toString(body.length()));
    }
}
