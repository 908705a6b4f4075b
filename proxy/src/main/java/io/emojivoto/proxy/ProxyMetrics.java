package io.emojivoto.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** What the admin listener's /metrics shows: Prometheus text from a Micrometer registry. */
public final class ProxyMetrics {

    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final AtomicInteger openConnections = registry.gauge("proxy.connections.open", new AtomicInteger());
    final AtomicInteger inFlight = registry.gauge("proxy.requests.in.flight", new AtomicInteger());
    private final Counter malformedTraceHeaders = Counter.builder("proxy.trace.headers.malformed")
            .description("Requests forwarded untouched because a trace header was invalid").register(registry);

    void malformedTraceHeader() {
        malformedTraceHeaders.increment();
    }

    double malformedTraceHeaders() {
        return malformedTraceHeaders.count();
    }

    /** One finished request: latency histogram by direction and status, plus an error count. */
    void request(Direction direction, int status, String grpcStatus, boolean failed, Duration took) {
        String grpc = grpcStatus == null ? "" : grpcStatus;
        // Looked up in a small cache: building meter ids on every request costs more than the proxying.
        timers.computeIfAbsent(direction.label() + '|' + status + '|' + grpc, k -> Timer.builder("proxy.requests")
                .tag("direction", direction.label())
                .tag("status", Integer.toString(status))
                .tag("grpc_status", grpc)
                .publishPercentileHistogram()
                .register(registry)).record(took);
        if (failed) {
            errors.computeIfAbsent(direction.label() + '|' + status, k -> Counter.builder("proxy.requests.errors")
                    .tag("direction", direction.label())
                    .tag("status", Integer.toString(status)).register(registry)).increment();
        }
    }

    private final java.util.Map<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, Counter> errors = new java.util.concurrent.ConcurrentHashMap<>();

    String scrape() {
        return registry.scrape();
    }
}
