package io.emojivoto.web;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Echoes the request's trace id and sampling decision in the response, so that a person, the UI
 * or a test can look the trace up. Runs after the observation filter that opened the server span.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class TraceIdResponseHeader extends OncePerRequestFilter {

    static final String TRACE_ID = "X-B3-TraceId";
    static final String SAMPLED = "X-B3-Sampled";

    private final Tracer tracer;

    TraceIdResponseHeader(Tracer tracer) {
        this.tracer = tracer;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Span span = tracer.currentSpan();
        if (span != null) {
            response.setHeader(TRACE_ID, span.context().traceId());
            response.setHeader(SAMPLED, Boolean.TRUE.equals(span.context().sampled()) ? "1" : "0");
        }
        chain.doFilter(request, response);
    }
}
