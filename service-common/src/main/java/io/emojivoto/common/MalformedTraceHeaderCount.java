package io.emojivoto.common;

import io.emojivoto.tracecontext.TraceContextHeaders;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.function.Function;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Counts the requests that came with a malformed trace header (a bad B3 id or flag, a wrong traceparent
 * version, an over-long tracestate…), as the proxy counts them: the request is served as usual (the
 * tracer ignores what it cannot read, so the request simply has no trace), and the count,
 * {@code emojivoto_trace_headers_malformed_total}, tells an operator that a caller sends bad context.
 * The rules are the proxy's ({@link TraceContextHeaders}); HTTP requests (web-svc) and gRPC calls
 * (emoji-svc, voting-svc) are looked at alike.
 */
@AutoConfiguration
public class MalformedTraceHeaderCount {

    /** The headers that carry trace context, in either format. */
    static final List<String> NAMES = List.of("b3", "x-b3-traceid", "x-b3-spanid", "x-b3-parentspanid", "x-b3-sampled",
            "x-b3-flags", "traceparent", "tracestate");

    @Bean
    Counter malformedTraceHeaders(MeterRegistry meters) {
        return Counter.builder("emojivoto.trace.headers.malformed")
                .description("Requests served without a trace because a trace header was invalid").register(meters);
    }

    /** Whether the trace headers a request has (by {@code values}, which gives each name's values) are malformed. */
    static boolean malformed(Function<String, Iterable<String>> values) {
        HttpHeaders headers = null;
        for (String name : NAMES) {
            for (String value : values.apply(name)) {
                if (headers == null) {
                    headers = new DefaultHttpHeaders(false); // made only for a request with trace headers
                }
                headers.add(name, value);
            }
        }
        return headers != null && TraceContextHeaders.parse(headers) instanceof TraceContextHeaders.Malformed;
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
                        return found == null ? List.of() : found;
                    })) {
                        malformedTraceHeaders.increment();
                    }
                    return next.startCall(call, metadata);
                }
            };
        }
    }
}
