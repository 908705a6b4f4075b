package io.emojivoto.ingress;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * Stands in for web-svc behind the ingress: answers 200 (or the status in ?status=) and records the
 * trace headers of every request it receives, which is what the ingress is tested on.
 */
final class RecordingUpstream implements AutoCloseable {

    /** The trace headers one request arrived with (lowercase names; null where absent). */
    /** What came with one request: its trace context, and every baggage header (name in lower case → values). */
    record Seen(String traceId, String spanId, String parentSpanId, String sampled, String b3, String traceparent, String tracestate,
                java.util.Map<String, List<String>> baggage) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    final Queue<Seen> seen = new ConcurrentLinkedQueue<>();

    RecordingUpstream() {
        // Without TCP_NODELAY, the JDK server's separate header and body writes meet delayed ACKs
        // and every keep-alive response from nginx's upstream pool waits ~40 ms.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            var h = exchange.getRequestHeaders();
            seen.add(new Seen(h.getFirst("X-B3-TraceId"), h.getFirst("X-B3-SpanId"), h.getFirst("X-B3-ParentSpanId"),
                    h.getFirst("X-B3-Sampled"), h.getFirst("b3"), h.getFirst("traceparent"),
                    h.containsKey("tracestate") ? String.join(",", h.get("tracestate")) : null, baggageOf(h)));
            exchange.getRequestBody().readAllBytes();
            String query = exchange.getRequestURI().getQuery();
            int status = query != null && query.startsWith("status=") ? Integer.parseInt(query.substring(7)) : 200;
            // What web-svc does too: echo a trace id. The ingress's own must win in the response.
            exchange.getResponseHeaders().add("X-B3-TraceId", "0000000000000000000000000000abcd");
            byte[] body = "ok".getBytes();
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    private static java.util.Map<String, List<String>> baggageOf(com.sun.net.httpserver.Headers headers) {
        java.util.Map<String, List<String>> baggage = new java.util.TreeMap<>();
        headers.forEach((name, values) -> {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (lower.equals("baggage") || lower.startsWith("baggage-")) {
                baggage.put(lower, List.copyOf(values));
            }
        });
        return baggage;
    }

    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    List<Seen> drain() {
        List<Seen> all = seen.stream().collect(Collectors.toList());
        seen.clear();
        return all;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
