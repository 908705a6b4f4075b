package io.emojivoto.proxy;

import brave.Tracer;
import brave.Tracing;
import io.emojivoto.spanreporter.SpanReporter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The machinery behind the proxy's spans: Brave records them and {@link SpanReporter} sends them
 * (batched on a timer, through a bounded queue, as the services send theirs), so a slow or dead
 * collector never touches the request path; sent and dropped spans are counted in the registry
 * (zipkin_reporter_* metrics). What goes into a span is {@link HopSpan}'s.
 */
public final class ProxySpans implements AutoCloseable {

    private final Tracing tracing;
    private final SpanReporter reporter; // null when reporting is off

    public ProxySpans(String serviceName, String zipkinEndpoint, MeterRegistry registry) {
        Tracing.Builder tracing = Tracing.newBuilder().localServiceName(serviceName);
        if (zipkinEndpoint == null || zipkinEndpoint.isBlank()) {
            this.reporter = null;
        } else {
            this.reporter = SpanReporter.start(zipkinEndpoint, registry, null);
            tracing.addSpanHandler(reporter.handler());
        }
        this.tracing = tracing.build();
    }

    /** Brave's tracer, which records each hop's span ({@link HopSpan}) and hands it to the reporter. */
    Tracer tracer() {
        return tracing.tracer();
    }

    @Override
    public void close() {
        tracing.close();
        if (reporter != null) {
            reporter.close(); // what is still queued goes out before the process ends
        }
    }
}
