package io.emojivoto.tracecontext;

import java.util.List;

/** The names of the header fields that carry trace context, in lowercase: defined here once for every Java part. */
public final class TraceHeaderNames {

    /** B3 in one field: {@code {trace}-{span}[-{sampling}[-{parent}]]}, or a sampling decision alone. */
    public static final String B3 = "b3";
    /** B3 in several fields ("multi"). */
    public static final String B3_TRACE_ID = "x-b3-traceid";
    public static final String B3_SPAN_ID = "x-b3-spanid";
    public static final String B3_PARENT_SPAN_ID = "x-b3-parentspanid";
    public static final String B3_SAMPLED = "x-b3-sampled";
    public static final String B3_FLAGS = "x-b3-flags";
    /** W3C Trace Context: {@code {version}-{trace}-{parent}-{flags}}, and the vendors' list that goes with it. */
    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";
    /** W3C Trace Context Level 2: the trace a server's response belongs to. */
    public static final String TRACERESPONSE = "traceresponse";

    /** Every header a request's trace context can be in. */
    public static final List<String> ALL = List.of(B3, B3_TRACE_ID, B3_SPAN_ID, B3_PARENT_SPAN_ID, B3_SAMPLED, B3_FLAGS,
            TRACEPARENT, TRACESTATE);

    private TraceHeaderNames() {
    }
}
