package io.emojivoto.common;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * How an emojivoto service makes and reports its spans, all in one place; each service's main class
 * imports it. Five steps, as a trace crosses the service:
 * <ol>
 *   <li><b>Read</b> the context a request brings ({@link IncomingTraceHeaders}): B3 and W3C, by the
 *       proxy's rules, before the tracer sees them; a malformed context is counted and hidden.
 *   <li><b>Follow</b> the decision made at the ingress: a service never samples on its own
 *       ({@code management.tracing.sampling.probability=0} in {@code emojivoto/service-defaults.properties}),
 *       so a trace is complete or absent.
 *   <li><b>Make</b> the spans: Micrometer's observations open a SERVER span for each HTTP request and gRPC
 *       call served and a CLIENT span for each gRPC call made (Spring Boot's instrumentation, nothing
 *       here); {@link SpanConventions} names their tags as every part does (docs/spans.md) and tags the
 *       spans of failed calls {@code error}; a service's own code adds
 *       what only it knows through the span API ({@link CurrentSpan}: voting-svc's vote, web-svc's
 *       leaderboard join).
 *   <li><b>Send on</b> the context in the pipeline's format: {@code TRACE_PROPAGATION}, {@code b3} (B3
 *       multi-headers) or {@code w3c} ({@link TracePropagation}, which runs before the configuration is
 *       read), with the learner's baggage, which also tags every span ({@link LearnerBaggage}).
 *   <li><b>Report</b> the finished spans: Zipkin v2 JSON to {@code ZIPKIN_ENDPOINT}, batched on a timer
 *       and bounded ({@link SpanReporting}, through {@code span-reporter}).
 * </ol>
 */
@Configuration(proxyBeanMethods = false)
@Import({IncomingTraceHeaders.class, SpanConventions.class, LearnerBaggage.class, SpanReporting.class})
public class ServiceTracing {
}
