package io.emojivoto.proxy;

import brave.Tracer;
import brave.Tracing;
import io.micrometer.core.instrument.MeterRegistry;
import zipkin2.reporter.brave.AsyncZipkinSpanHandler;
import zipkin2.reporter.metrics.micrometer.MicrometerReporterMetrics;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * The machinery behind the proxy's spans: Brave records them and zipkin-reporter sends them,
 * asynchronously, batched, through a bounded queue, so a slow or dead collector never touches the
 * request path; sent and dropped spans are counted in the registry (zipkin_reporter_* metrics).
 * What goes into a span is {@link HopSpan}'s.
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

    /** Brave's tracer, which records each hop's span ({@link HopSpan}) and hands it to the reporter. */
    Tracer tracer() {
        return tracing.tracer();
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
