package io.emojivoto.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/** What the admin listener's /metrics shows: Prometheus text from a Micrometer registry. */
public final class ProxyMetrics {

    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final AtomicInteger openConnections = registry.gauge("proxy.connections.open", new AtomicInteger());
    final AtomicInteger inFlight = registry.gauge("proxy.requests.in.flight", new AtomicInteger());
    private final Counter malformedTraceHeaders = Counter.builder("proxy.trace.headers.malformed")
            .description("Requests with an invalid trace header: forwarded untouched (an invalid tracestate beside a sampled context: dropped)").register(registry);

    void malformedTraceHeader() {
        malformedTraceHeaders.increment();
    }

    double malformedTraceHeaders() {
        return malformedTraceHeaders.count();
    }

    /** One finished request: latency histogram by direction and status, plus an error count. */
    void request(Direction direction, int status, String grpcStatus, boolean failed, long tookNanos) {
        int httpSlot = status >= 0 && status < HTTP_SLOTS ? status : 0;
        int grpcSlot = grpcSlot(grpcStatus);
        int index = (direction.ordinal() * HTTP_SLOTS + httpSlot) * GRPC_SLOTS + grpcSlot;
        // An array lookup, not a meter id per request: building ids costs more than the proxying.
        Timer timer = timers.get(index);
        if (timer == null) {
            timer = Timer.builder("proxy.requests")
                    .tag("direction", direction.label())
                    .tag("status", statusTag(httpSlot))
                    .tag("grpc_status", grpcSlot == 0 ? "" : grpcSlot == GRPC_SLOTS - 1 ? "other" : Integer.toString(grpcSlot - 1))
                    .publishPercentileHistogram()
                    .register(registry); // the registry returns the same timer to a racing thread
            timers.set(index, timer);
        }
        timer.record(tookNanos, TimeUnit.NANOSECONDS);
        if (failed) {
            int errorIndex = direction.ordinal() * HTTP_SLOTS + httpSlot;
            Counter errorCounter = errors.get(errorIndex);
            if (errorCounter == null) {
                errorCounter = Counter.builder("proxy.requests.errors")
                        .tag("direction", direction.label())
                        .tag("status", statusTag(httpSlot))
                        .register(registry);
                errors.set(errorIndex, errorCounter);
            }
            errorCounter.increment();
        }
    }

    private static final int HTTP_SLOTS = 600; // 1 to 599; 0 when there was no (valid) status
    private static final int GRPC_SLOTS = 19; // none, the 17 codes (0 OK to 16 UNAUTHENTICATED), other

    private final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>(Direction.values().length * HTTP_SLOTS * GRPC_SLOTS);
    private final AtomicReferenceArray<Counter> errors = new AtomicReferenceArray<>(Direction.values().length * HTTP_SLOTS);

    private static String statusTag(int httpSlot) {
        return httpSlot == 0 ? "none" : Integer.toString(httpSlot);
    }

    /** 0 without a grpc-status, 1–17 for codes 0–16, 18 for anything else (so a bad upstream cannot add series). */
    private static int grpcSlot(String grpcStatus) {
        if (grpcStatus == null) {
            return 0;
        }
        int n = grpcStatus.length();
        char first = n > 0 ? grpcStatus.charAt(0) : 'x';
        if (n == 1 && first >= '0' && first <= '9') {
            return 1 + first - '0';
        }
        if (n == 2 && first == '1' && grpcStatus.charAt(1) >= '0' && grpcStatus.charAt(1) <= '6') {
            return 11 + grpcStatus.charAt(1) - '0';
        }
        return GRPC_SLOTS - 1;
    }

    String scrape() {
        return registry.scrape();
    }
}
