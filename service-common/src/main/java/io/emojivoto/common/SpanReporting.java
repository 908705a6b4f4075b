package io.emojivoto.common;

import brave.handler.MutableSpan;
import io.emojivoto.spanreporter.SpanReporter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.micrometer.tracing.autoconfigure.ConditionalOnEnabledTracingExport;
import org.springframework.boot.zipkin.autoconfigure.ZipkinConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import zipkin2.reporter.BytesEncoder;
import zipkin2.reporter.BytesMessageSender;
import zipkin2.reporter.brave.AsyncZipkinSpanHandler;

/**
 * How the services send their spans: {@link SpanReporter} (the proxy sends its spans the same way)
 * in place of the sender and span handler Spring Boot would make, which compress every message and
 * wake a thread per span (both measured costly, docs/benchmarks.md). The endpoint and the span
 * encoder stay Boot's ({@code management.tracing.export.zipkin.endpoint}, ZIPKIN_ENDPOINT).
 */
@Configuration(proxyBeanMethods = false) // imported by ServiceTracing, ahead of Boot's Zipkin auto-configuration, which backs off
@ConditionalOnClass({AsyncZipkinSpanHandler.class, SpanReporter.class})
public class SpanReporting {

    @Bean(destroyMethod = "close")
    @ConditionalOnEnabledTracingExport("zipkin")
    SpanReporter spanReporter(ZipkinConnectionDetails connection, BytesEncoder<MutableSpan> encoder, MeterRegistry meters) {
        return SpanReporter.start(connection.getSpanEndpoint(), meters, encoder);
    }

    @Bean(destroyMethod = "") // the reporter closes it
    @ConditionalOnEnabledTracingExport("zipkin")
    BytesMessageSender zipkinSender(SpanReporter reporter) {
        return reporter.sender(); // Boot's own sender backs off: there is one
    }

    @Bean(destroyMethod = "")
    @ConditionalOnEnabledTracingExport("zipkin")
    AsyncZipkinSpanHandler asyncZipkinSpanHandler(SpanReporter reporter) {
        return reporter.handler(); // and so does Boot's own handler
    }
}
