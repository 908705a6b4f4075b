package io.emojivoto.common;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;

/** The span a service's code adds its tags and events to. */
public final class CurrentSpan {

    private CurrentSpan() {
    }

    /**
     * The span of the call being served, opened by Spring's observation around the handler; a no-op
     * span outside an observed call (a unit test calling the handler), so that code never checks.
     */
    public static Span of(Tracer tracer) {
        Span span = tracer.currentSpan();
        return span == null ? Span.NOOP : span;
    }
}
