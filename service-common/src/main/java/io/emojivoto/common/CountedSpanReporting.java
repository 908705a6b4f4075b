package io.emojivoto.common;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.micrometer.tracing.brave.autoconfigure.zipkin.ZipkinWithBraveTracingAutoConfiguration;
import org.springframework.boot.zipkin.autoconfigure.ZipkinAutoConfiguration;
import org.springframework.context.annotation.Bean;
import zipkin2.reporter.BytesMessageSender;
import zipkin2.reporter.brave.AsyncZipkinSpanHandler;
import zipkin2.reporter.metrics.micrometer.MicrometerReporterMetrics;

/**
 * The Zipkin span handler Spring Boot would make, plus metrics: spans sent and dropped
 * (zipkin_reporter_spans_total, zipkin_reporter_spans_dropped_total, queue size…), so that a dead
 * collector's cost — lost spans, never slow requests — is visible (ARCHITECTURE.md, contract 3).
 * Boot's own handler backs off when this one exists.
 */
@AutoConfiguration(after = ZipkinAutoConfiguration.class, before = ZipkinWithBraveTracingAutoConfiguration.class)
@ConditionalOnClass(AsyncZipkinSpanHandler.class)
public class CountedSpanReporting {

    @Bean
    @ConditionalOnBean(BytesMessageSender.class)
    AsyncZipkinSpanHandler asyncZipkinSpanHandler(BytesMessageSender sender, MeterRegistry meters) {
        return AsyncZipkinSpanHandler.newBuilder(sender)
                .metrics(MicrometerReporterMetrics.create(meters))
                .build();
    }
}
