package io.emojivoto.common;

import io.emojivoto.tracecontext.TraceContextHeaders;
import io.emojivoto.tracecontext.TraceContextHeaders.Context;
import io.emojivoto.tracecontext.TraceContextHeaders.Malformed;
import io.emojivoto.tracecontext.TraceContextHeaders.Parsed;
import io.emojivoto.tracecontext.TraceHeaders;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.Function;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Counts the requests that came with a malformed trace header (a bad B3 id or flag, a traceparent
 * version W3C forbids, a tracestate of 33 members…), as the proxy counts them: the request is served as
 * usual (the tracer ignores what it cannot read, so the request simply has no trace), and the count,
 * {@code emojivoto_trace_headers_malformed_total}, tells an operator that a caller sends bad context.
 * The rules are the proxy's ({@link TraceContextHeaders}); HTTP requests (web-svc) and gRPC calls
 * (emoji-svc, voting-svc) are looked at alike.
 */
@AutoConfiguration
public class MalformedTraceHeaderCount {

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

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "jakarta.servlet.Filter")
    static class Http {
        @Bean
        jakarta.servlet.Filter malformedTraceHeaderFilter(Counter malformedTraceHeaders) {
            return (request, response, chain) -> {
                if (request instanceof jakarta.servlet.http.HttpServletRequest http
                        && malformed(name -> java.util.Collections.list(http.getHeaders(name)))) {
                    malformedTraceHeaders.increment();
                }
                chain.doFilter(request, response);
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.grpc.ServerInterceptor", "org.springframework.grpc.server.GlobalServerInterceptor"})
    static class Grpc {
        @Bean
        @org.springframework.grpc.server.GlobalServerInterceptor
        io.grpc.ServerInterceptor malformedTraceHeaderInterceptor(Counter malformedTraceHeaders) {
            return new io.grpc.ServerInterceptor() {
                @Override
                public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call, io.grpc.Metadata metadata,
                                                                           io.grpc.ServerCallHandler<Q, R> next) {
                    if (malformed(name -> {
                        Iterable<String> found = metadata.getAll(io.grpc.Metadata.Key.of(name, io.grpc.Metadata.ASCII_STRING_MARSHALLER));
                        List<String> all = new java.util.ArrayList<>();
                        if (found != null) {
                            found.forEach(all::add);
                        }
                        return all;
                    })) {
                        malformedTraceHeaders.increment();
                    }
                    return next.startCall(call, metadata);
                }
            };
        }
    }
}
