package io.emojivoto.proxy;

import brave.Span;
import brave.Tracer;
import brave.Tracing;
import brave.propagation.TraceContext;
import io.micrometer.core.instrument.MeterRegistry;
import zipkin2.reporter.brave.AsyncZipkinSpanHandler;
import zipkin2.reporter.metrics.micrometer.MicrometerReporterMetrics;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * Records the proxy's spans with Brave and reports them through zipkin-reporter: asynchronous,
 * batched, with a bounded queue, so a slow or dead collector never touches the request path;
 * sent and dropped spans are counted in the registry (zipkin_reporter_* metrics).
 */
public final class ProxySpans implements AutoCloseable {

    private final Tracing tracing;
    private final AsyncZipkinSpanHandler handler;
    private final URLConnectionSender sender;

    public ProxySpans(String serviceName, String zipkinEndpoint, MeterRegistry registry) {
        if (zipkinEndpoint == null || zipkinEndpoint.isBlank()) {
            this.sender = null;
            this.handler = null;
            this.tracing = Tracing.newBuilder().localServiceName(serviceName).build();
            return;
        }
        this.sender = URLConnectionSender.newBuilder().endpoint(zipkinEndpoint)
                .connectTimeout(1000).readTimeout(5000)
                // Gzip costs the proxy more CPU than it saves: spans go to a collector on the same host
                // or in the same cluster.
                .compressionEnabled(false)
                .build();
        this.handler = AsyncZipkinSpanHandler.newBuilder(sender)
                .queuedMaxSpans(10_000)
                .messageTimeout(200, java.util.concurrent.TimeUnit.MILLISECONDS)
                .metrics(MicrometerReporterMetrics.create(registry))
                .build();
        this.tracing = Tracing.newBuilder()
                .localServiceName(serviceName)
                .addSpanHandler(handler)
                .build();
    }

    /** Starts the span of one hop, with its own id, as a child of the incoming span. */
    public Span start(TraceContextHeaders.Context incoming, long spanId, Direction direction) {
        TraceContext context = TraceContext.newBuilder()
                .traceIdHigh(incoming.traceIdHigh())
                .traceId(incoming.traceId())
                .parentId(incoming.spanId())
                .spanId(spanId)
                .sampled(true)
                .debug(incoming.debug())
                .build();
        Tracer tracer = tracing.tracer();
        return tracer.toSpan(context)
                .kind(direction == Direction.INBOUND ? Span.Kind.SERVER : Span.Kind.CLIENT)
                .tag("direction", direction.label())
                .start();
    }

    @Override
    public void close() {
        tracing.close();
        if (handler != null) {
            handler.flush();    // what is still queued goes out before the process ends
            handler.close();
            sender.close();
        }
    }
}
