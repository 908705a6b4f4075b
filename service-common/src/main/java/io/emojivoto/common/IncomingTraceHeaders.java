package io.emojivoto.common;

import io.emojivoto.tracecontext.TraceContextHeaders;
import io.emojivoto.tracecontext.TraceContextHeaders.Context;
import io.emojivoto.tracecontext.TraceContextHeaders.Malformed;
import io.emojivoto.tracecontext.TraceContextHeaders.Parsed;
import io.emojivoto.tracecontext.TraceHeaderNames;
import io.emojivoto.tracecontext.TraceHeaders;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * What a service does with the trace headers a request brings, before its tracer reads them; HTTP
 * requests (web-svc) and gRPC calls (emoji-svc, voting-svc) alike, by the proxy's rules
 * ({@link TraceContextHeaders}), so that every hop of the pipeline reads a context the same way and a
 * trace stays complete or absent:
 * <ul>
 *   <li>A malformed context (a bad B3 id or flag, a traceparent version W3C forbids, a header sent
 *       twice…) is counted, {@code emojivoto_trace_headers_malformed_total}, and hidden from the
 *       tracer: the request is served as usual, without a trace, as the proxy in front of the service
 *       left it. (Brave alone would read the first of two {@code traceparent} fields and start a trace
 *       the proxy never joined.)
 *   <li>A valid {@code traceparent} reaches the tracer in the one shape Brave's W3C reader takes
 *       (version 00, the sampled flag alone): Trace Context has a receiver read a later version and
 *       ignore flags it does not know, where that reader refuses both
 *       ({@link TraceContextHeaders#traceparentForStrictReaders}). An invalid {@code tracestate} beside
 *       it is counted and hidden; the trace goes on without it.
 * </ul>
 * Both run ahead of the tracing instrumentation (the servlet filter and the gRPC interceptor that open
 * the server span).
 */
@Configuration(proxyBeanMethods = false) // imported by ServiceTracing
public class IncomingTraceHeaders {

    @Bean
    Counter malformedTraceHeaders(MeterRegistry meters) {
        return Counter.builder("emojivoto.trace.headers.malformed")
                .description("Requests with an invalid trace header, served as usual").register(meters);
    }

    /**
     * What the tracer is to see of a request's trace headers.
     *
     * @param malformed    whether a trace header is invalid (counted)
     * @param replacements by header name, the one value the tracer sees in place of the request's, or
     *                     null for none; empty when it sees the headers as they came
     */
    record ForTheTracer(boolean malformed, Map<String, String> replacements) {
    }

    private static final ForTheTracer AS_THEY_CAME = new ForTheTracer(false, Map.of());

    /** Reads a request's trace headers ({@code values} gives each name's values) by the proxy's rules. */
    static ForTheTracer forTheTracer(Function<String, List<? extends CharSequence>> values) {
        Parsed parsed = TraceContextHeaders.parse(TraceHeaders.readOnly(values));
        if (parsed instanceof Malformed) {
            Map<String, String> hidden = new HashMap<>();
            for (String name : TraceHeaderNames.ALL) {
                if (!values.apply(name).isEmpty()) {
                    hidden.put(name, null);
                }
            }
            return new ForTheTracer(true, hidden);
        }
        if (!(parsed instanceof Context context) || !context.w3c()) {
            return AS_THEY_CAME;
        }
        Map<String, String> replacements = new HashMap<>();
        CharSequence traceparent = values.apply(TraceHeaderNames.TRACEPARENT).get(0);
        String strict = TraceContextHeaders.traceparentForStrictReaders(traceparent);
        if (!strict.contentEquals(traceparent)) {
            replacements.put(TraceHeaderNames.TRACEPARENT, strict);
        }
        if (context.badTracestate() != null) {
            replacements.put(TraceHeaderNames.TRACESTATE, null);
        }
        return new ForTheTracer(context.badTracestate() != null, replacements);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "jakarta.servlet.Filter")
    static class Http {
        @Bean
        org.springframework.boot.web.servlet.FilterRegistrationBean<jakarta.servlet.Filter> incomingTraceHeadersFilter(
                Counter malformedTraceHeaders) {
            jakarta.servlet.Filter filter = (request, response, chain) -> {
                if (request instanceof jakarta.servlet.http.HttpServletRequest http) {
                    ForTheTracer seen = forTheTracer(name -> Collections.list(http.getHeaders(name)));
                    if (seen.malformed()) {
                        malformedTraceHeaders.increment();
                    }
                    if (!seen.replacements().isEmpty()) {
                        request = new ReplacedHeaders(http, seen.replacements());
                    }
                }
                chain.doFilter(request, response);
            };
            var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(filter);
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE); // before the observation filter opens the span
            return registration;
        }
    }

    /** A request whose trace headers read as {@link #forTheTracer} decided. */
    static final class ReplacedHeaders extends jakarta.servlet.http.HttpServletRequestWrapper {
        private final Map<String, String> replacements;

        ReplacedHeaders(jakarta.servlet.http.HttpServletRequest request, Map<String, String> replacements) {
            super(request);
            this.replacements = replacements;
        }

        @Override
        public String getHeader(String name) {
            String lower = name.toLowerCase(Locale.ROOT);
            return replacements.containsKey(lower) ? replacements.get(lower) : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!replacements.containsKey(lower)) {
                return super.getHeaders(name);
            }
            String value = replacements.get(lower);
            return Collections.enumeration(value == null ? List.of() : List.of(value));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.grpc.ServerInterceptor", "org.springframework.grpc.server.GlobalServerInterceptor"})
    static class Grpc {
        @Bean
        @org.springframework.grpc.server.GlobalServerInterceptor
        @org.springframework.core.annotation.Order(Ordered.HIGHEST_PRECEDENCE) // before the observation interceptor
        io.grpc.ServerInterceptor incomingTraceHeadersInterceptor(Counter malformedTraceHeaders) {
            return new io.grpc.ServerInterceptor() {
                @Override
                public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call, io.grpc.Metadata metadata,
                                                                           io.grpc.ServerCallHandler<Q, R> next) {
                    ForTheTracer seen = forTheTracer(name -> values(metadata, key(name)));
                    if (seen.malformed()) {
                        malformedTraceHeaders.increment();
                    }
                    seen.replacements().forEach((name, value) -> {
                        metadata.removeAll(key(name));
                        if (value != null) {
                            metadata.put(key(name), value);
                        }
                    });
                    return next.startCall(call, metadata);
                }
            };
        }

        private static io.grpc.Metadata.Key<String> key(String name) {
            return io.grpc.Metadata.Key.of(name, io.grpc.Metadata.ASCII_STRING_MARSHALLER);
        }

        private static List<String> values(io.grpc.Metadata metadata, io.grpc.Metadata.Key<String> key) {
            Iterable<String> found = metadata.getAll(key);
            List<String> all = new ArrayList<>();
            if (found != null) {
                found.forEach(all::add);
            }
            return all;
        }
    }
}
