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
import java.util.List;
import java.util.function.Function;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * What a service does with the trace headers a request brings, before its tracer reads them; HTTP
 * requests (web-svc) and gRPC calls (emoji-svc, voting-svc) alike, with the proxy's rules
 * ({@link TraceContextHeaders}):
 * <ul>
 *   <li>It counts a request whose trace header is malformed (a bad B3 id or flag, a traceparent
 *       version W3C forbids, a tracestate of 33 members…): the request is served as usual (the tracer
 *       ignores what it cannot read, so the request simply has no trace), and the count,
 *       {@code emojivoto_trace_headers_malformed_total}, tells an operator that a caller sends bad context.
 *   <li>It hands the tracer a valid {@code traceparent} in the one shape Brave's W3C reader takes
 *       (version 00, the sampled flag alone): Trace Context has a receiver read a later version and
 *       ignore flags it does not know, where that reader refuses both, and the trace would break at
 *       this hop ({@link TraceContextHeaders#traceparentForStrictReaders}).
 * </ul>
 * Both run ahead of the tracing instrumentation (the servlet filter and the gRPC interceptor that open
 * the server span).
 */
@AutoConfiguration
public class IncomingTraceHeaders {

    @Bean
    Counter malformedTraceHeaders(MeterRegistry meters) {
        return Counter.builder("emojivoto.trace.headers.malformed")
                .description("Requests with an invalid trace header, served as usual").register(meters);
    }

    /**
     * Whether a request's trace headers ({@code values} gives each name's values) are malformed: an
     * invalid context, or an invalid tracestate beside a valid one.
     */
    static boolean malformed(Function<String, List<? extends CharSequence>> values) {
        Parsed parsed = TraceContextHeaders.parse(TraceHeaders.readOnly(values));
        return parsed instanceof Malformed || parsed instanceof Context context && context.badTracestate() != null;
    }

    /** The traceparent to give the tracer in place of {@code values}, or null to leave them as they came. */
    static String strictTraceparent(List<String> values) {
        if (values.size() != 1) {
            return null; // none, or several: invalid, as the tracer also finds
        }
        String strict = TraceContextHeaders.traceparentForStrictReaders(values.get(0));
        return strict == null || strict.equals(values.get(0)) ? null : strict;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "jakarta.servlet.Filter")
    static class Http {
        @Bean
        org.springframework.boot.web.servlet.FilterRegistrationBean<jakarta.servlet.Filter> incomingTraceHeadersFilter(
                Counter malformedTraceHeaders) {
            jakarta.servlet.Filter filter = (request, response, chain) -> {
                if (request instanceof jakarta.servlet.http.HttpServletRequest http) {
                    if (malformed(name -> Collections.list(http.getHeaders(name)))) {
                        malformedTraceHeaders.increment();
                    }
                    String strict = strictTraceparent(Collections.list(http.getHeaders(TraceHeaderNames.TRACEPARENT)));
                    if (strict != null) {
                        request = new StrictTraceparentRequest(http, strict);
                    }
                }
                chain.doFilter(request, response);
            };
            var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(filter);
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE); // before the observation filter opens the span
            return registration;
        }
    }

    /** A request whose traceparent reads as {@link #strictTraceparent} made it. */
    static final class StrictTraceparentRequest extends jakarta.servlet.http.HttpServletRequestWrapper {
        private final String traceparent;

        StrictTraceparentRequest(jakarta.servlet.http.HttpServletRequest request, String traceparent) {
            super(request);
            this.traceparent = traceparent;
        }

        @Override
        public String getHeader(String name) {
            return TraceHeaderNames.TRACEPARENT.equalsIgnoreCase(name) ? traceparent : super.getHeader(name);
        }

        @Override
        public java.util.Enumeration<String> getHeaders(String name) {
            return TraceHeaderNames.TRACEPARENT.equalsIgnoreCase(name) ? Collections.enumeration(List.of(traceparent))
                    : super.getHeaders(name);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.grpc.ServerInterceptor", "org.springframework.grpc.server.GlobalServerInterceptor"})
    static class Grpc {
        private static final io.grpc.Metadata.Key<String> TRACEPARENT =
                io.grpc.Metadata.Key.of(TraceHeaderNames.TRACEPARENT, io.grpc.Metadata.ASCII_STRING_MARSHALLER);

        @Bean
        @org.springframework.grpc.server.GlobalServerInterceptor
        @org.springframework.core.annotation.Order(Ordered.HIGHEST_PRECEDENCE) // before the observation interceptor
        io.grpc.ServerInterceptor incomingTraceHeadersInterceptor(Counter malformedTraceHeaders) {
            return new io.grpc.ServerInterceptor() {
                @Override
                public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call, io.grpc.Metadata metadata,
                                                                           io.grpc.ServerCallHandler<Q, R> next) {
                    if (malformed(name -> values(metadata, io.grpc.Metadata.Key.of(name, io.grpc.Metadata.ASCII_STRING_MARSHALLER)))) {
                        malformedTraceHeaders.increment();
                    }
                    String strict = strictTraceparent(values(metadata, TRACEPARENT));
                    if (strict != null) {
                        metadata.removeAll(TRACEPARENT);
                        metadata.put(TRACEPARENT, strict);
                    }
                    return next.startCall(call, metadata);
                }
            };
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
