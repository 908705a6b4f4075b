import brave.Span;
import brave.handler.MutableSpan;
import java.util.LinkedHashMap;
import java.util.Map;
import zipkin2.reporter.brave.MutableSpanBytesEncoder;

/**
 * What encoding one span costs, as zipkin-reporter does it for every span it sends (the size for the
 * queue, then the bytes for the message), in a loop with the caches hot: the floor of the encoding
 * cost that the pipeline's profiles show. Run by bench/span-encoding.sh.
 */
public class SpanEncoding {

    static final int SPANS_PER_ROUND = 1_000_000;
    static final int ROUNDS = 7; // the first three warm the JIT and are not counted

    public static void main(String[] args) {
        Map<String, MutableSpan> spans = new LinkedHashMap<>();
        spans.put("a proxy's outbound span (8 tags)", proxySpan());
        spans.put("web-svc's HTTP server span, Spring's tags (8)", webSpan(true));
        spans.put("web-svc's HTTP server span, as it is sent (5 tags)", webSpan(false));
        System.out.println("| span | encoder | bytes | µs a span (median of " + (ROUNDS - 3) + " rounds of " + SPANS_PER_ROUND + ") |");
        System.out.println("|---|---|---|---|");
        for (Map.Entry<String, MutableSpan> span : spans.entrySet()) {
            for (MutableSpanBytesEncoder encoder : MutableSpanBytesEncoder.values()) {
                if (encoder == MutableSpanBytesEncoder.PROTO3 && !span.getKey().startsWith("a proxy")) {
                    continue;
                }
                System.out.printf("| %s | %s | %d | %.2f |%n", span.getKey(), encoder, encoder.encode(span.getValue()).length,
                        medianMicros(encoder, span.getValue()));
            }
        }
    }

    static double medianMicros(MutableSpanBytesEncoder encoder, MutableSpan span) {
        double[] micros = new double[ROUNDS - 3];
        long sink = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < SPANS_PER_ROUND; i++) {
                sink += encoder.sizeInBytes(span) + encoder.encode(span).length;
            }
            if (round >= 3) {
                micros[round - 3] = (System.nanoTime() - start) / 1000.0 / SPANS_PER_ROUND;
            }
        }
        if (sink == 0) {
            throw new AssertionError("nothing encoded");
        }
        java.util.Arrays.sort(micros);
        return micros[micros.length / 2];
    }

    static MutableSpan proxySpan() {
        MutableSpan span = span(Span.Kind.CLIENT, "POST /emojivoto.v1.VotingService/VoteJoy", "web-svc-proxy");
        span.remoteIpAndPort("127.0.0.1", 8083);
        tag(span, "emojivoto.proxy.direction", "outbound", "http.request.method", "POST",
                "url.path", "/emojivoto.v1.VotingService/VoteJoy", "server.address", "voting-svc:8083",
                "http.response.status_code", "200", "rpc.grpc.status_code", "0",
                "http.request.body.size", "5", "http.response.body.size", "5");
        return span;
    }

    static MutableSpan webSpan(boolean springsTags) {
        MutableSpan span = span(Span.Kind.SERVER, "GET /api/vote", "web-svc");
        tag(span, "http.request.method", "GET", "http.response.status_code", "200", "http.route", "/api/vote",
                "url.path", "/api/vote", "url.scheme", "http");
        if (springsTags) {
            tag(span, "error.type", "none", "http.request.method_original", "GET", "outcome", "SUCCESS");
        }
        return span;
    }

    static MutableSpan span(Span.Kind kind, String name, String service) {
        MutableSpan span = new MutableSpan();
        span.traceId("5af7183fb1d4cf5f5af7183fb1d4cf5f");
        span.parentId("6b221d5bc9e6496c");
        span.id("4e6a7c2e2f0b1a3d");
        span.kind(kind);
        span.name(name);
        span.localServiceName(service);
        span.localIp("127.0.0.1");
        span.startTimestamp(1_765_000_000_000_000L);
        span.finishTimestamp(1_765_000_000_000_840L);
        return span;
    }

    static void tag(MutableSpan span, String... keysAndValues) {
        for (int i = 0; i < keysAndValues.length; i += 2) {
            span.tag(keysAndValues[i], keysAndValues[i + 1]);
        }
    }
}
