package io.emojivoto.web;

import io.emojivoto.tracecontext.TraceHeaderNames;
import io.emojivoto.tracecontext.TraceIds;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Echoes the request's trace id and sampling decision in the response, so that a person, the UI
 * or a test can look the trace up, in the format the pipeline speaks (TRACE_PROPAGATION):
 * {@code X-B3-TraceId} and {@code X-B3-Sampled}, or W3C's {@code traceresponse}
 * ({@code 00-<trace id>-<span id>-<flags>}). Runs after the observation filter that opened the server span.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class TraceIdResponseHeader extends OncePerRequestFilter {

    // As a response spells them; header names match without regard to case.
    static final String TRACE_ID = "X-B3-TraceId";
    static final String SAMPLED = "X-B3-Sampled";

    private final Tracer tracer;
    private final boolean w3c;

    TraceIdResponseHeader(Tracer tracer, @Value("${emojivoto.propagation:b3}") String propagation) {
        this.tracer = tracer;
        this.w3c = propagation.equals("w3c");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Span span = tracer.currentSpan();
        if (span != null && w3c) {
            String traceId = span.context().traceId();
            response.setHeader(TraceHeaderNames.TRACERESPONSE, "00-" + TraceIds.to128Bits(traceId) + "-"
                    + span.context().spanId() + (Boolean.TRUE.equals(span.context().sampled()) ? "-01" : "-00"));
        } else if (span != null) {
            response.setHeader(TRACE_ID, span.context().traceId());
            response.setHeader(SAMPLED, Boolean.TRUE.equals(span.context().sampled()) ? "1" : "0");
        }
        chain.doFilter(request, response);
    }
}
