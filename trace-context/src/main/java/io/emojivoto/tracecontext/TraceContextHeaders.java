package io.emojivoto.tracecontext;

import static io.emojivoto.tracecontext.TraceHeaderNames.B3;
import static io.emojivoto.tracecontext.TraceHeaderNames.B3_FLAGS;
import static io.emojivoto.tracecontext.TraceHeaderNames.B3_PARENT_SPAN_ID;
import static io.emojivoto.tracecontext.TraceHeaderNames.B3_SAMPLED;
import static io.emojivoto.tracecontext.TraceHeaderNames.B3_SPAN_ID;
import static io.emojivoto.tracecontext.TraceHeaderNames.B3_TRACE_ID;
import static io.emojivoto.tracecontext.TraceHeaderNames.TRACEPARENT;
import static io.emojivoto.tracecontext.TraceHeaderNames.TRACESTATE;

import io.emojivoto.tracecontext.Reading.Found;
import io.emojivoto.tracecontext.Reading.Invalid;
import io.emojivoto.tracecontext.TraceIds.Ids;
import java.util.List;

/**
 * Reads the trace context a request carries and, for a sampled request, forwards a new span id in it.
 * One reader per format ({@link B3Single}, {@link B3Multi}, {@link W3cTraceparent} with
 * {@link W3cTracestate}); this class asks each, then picks one as the B3 spec and Brave do: the single
 * {@code b3} header first, then the multi-headers, then W3C. The proxy uses both halves; the services use
 * {@link #parse} to count malformed headers.
 *
 * <p>Three outcomes: {@link Absent} (no trace headers: forward untouched), {@link Malformed} (a trace
 * header is present but invalid: forward untouched, count it) and {@link Context}.
 */
public final class TraceContextHeaders {

    private TraceContextHeaders() {
    }

    /** What a request's headers say about its trace. */
    public sealed interface Parsed permits Absent, Malformed, Context {
    }

    public record Absent() implements Parsed {
    }

    private static final Absent ABSENT = new Absent();

    public record Malformed(String reason) implements Parsed {
    }

    /**
     * A valid incoming context.
     *
     * @param traceIdHigh     the high 64 bits of the trace id; 0 for a 64-bit trace id
     * @param sampled         the caller's decision; null when it deferred it
     * @param b3Single        whether the single {@code b3} header carried this trace (likewise the next two)
     * @param w3cFlags        the trace-flags {@code traceparent} came with (0 without one)
     * @param badTracestate   why {@code tracestate} is invalid, or null: the context stands, the list is dropped
     */
    public record Context(long traceIdHigh, long traceId, long spanId, Boolean sampled, boolean debug,
                          boolean b3Single, boolean b3Multi, boolean w3c, int w3cFlags, String badTracestate)
            implements Parsed {

        public boolean isSampled() {
            return debug || Boolean.TRUE.equals(sampled);
        }

        public String traceIdHex() {
            return TraceIds.traceIdHex(traceIdHigh, traceId);
        }
    }

    /** The headers that must come at most once: every trace header but tracestate, a list that may be split. */
    private static final String[] ONCE = {B3, B3_TRACE_ID, B3_SPAN_ID, B3_PARENT_SPAN_ID, B3_SAMPLED, B3_FLAGS, TRACEPARENT};

    /** Reads the trace headers in place. A request without any costs a lookup per name and allocates nothing. */
    public static Parsed parse(TraceHeaders headers) {
        // 1. Each header's one value.
        CharSequence[] value = null; // by position in ONCE
        for (int i = 0; i < ONCE.length; i++) {
            List<? extends CharSequence> values = headers.getAll(ONCE[i]);
            if (values.isEmpty()) {
                continue; // the common case: most requests carry few of them
            }
            if (values.size() > 1) {
                return new Malformed("duplicate " + ONCE[i]);
            }
            if (value == null) {
                value = new CharSequence[ONCE.length];
            }
            value[i] = values.get(0);
        }
        if (value == null) {
            return ABSENT;
        }

        // 2. Each format on its own; one that is present and invalid makes the request's context malformed.
        Reading single = B3Single.read(value[0]);
        Reading multi = B3Multi.read(value[1], value[2], value[3], value[4], value[5]);
        Reading w3c = W3cTraceparent.read(value[6]);
        if (single instanceof Invalid invalid) {
            return new Malformed(invalid.reason());
        }
        if (multi instanceof Invalid invalid) {
            return new Malformed(invalid.reason());
        }
        if (w3c instanceof Invalid invalid) {
            return new Malformed(invalid.reason());
        }

        // 3. The ids: b3, then multi, then W3C. The decision: the first format that made one.
        Found b3Found = single instanceof Found f && f.ids() != null ? f : null;
        Found multiFound = multi instanceof Found f && f.ids() != null ? f : null;
        Found w3cFound = w3c instanceof Found f ? f : null;
        Found chosen = b3Found != null ? b3Found : multiFound != null ? multiFound : w3cFound;
        if (chosen == null) {
            return ABSENT; // only a sampling decision, no ids: nothing to join
        }
        Boolean sampled = decision(single);
        if (sampled == null) {
            sampled = decision(multi);
        }
        boolean debug = single instanceof Found f && f.debug() || multi instanceof Found f2 && f2.debug();
        if (sampled == null && !debug && chosen == w3cFound) {
            sampled = w3cFound.sampled();
        }
        Ids ids = chosen.ids();
        boolean w3cCarries = w3cFound != null && w3cFound.ids().sameTrace(ids);
        String badTracestate = w3cCarries ? W3cTracestate.problem(headers.getAll(TRACESTATE)) : null;
        return new Context(ids.high(), ids.low(), ids.span(), sampled, debug,
                b3Found != null && b3Found.ids().sameTrace(ids),
                multiFound != null && multiFound.ids().sameTrace(ids),
                w3cCarries, w3cCarries ? w3cFound.w3cFlags() : 0, badTracestate);
    }

    private static Boolean decision(Reading reading) {
        return reading instanceof Found found ? found.sampled() : null;
    }

    /**
     * Forwards {@code newSpanId} as the span id in every format the context came in, with the
     * incoming span id as its parent. {@code traceparent} goes on as version 00 with the flags that
     * version knows; an invalid {@code tracestate} does not go on.
     */
    public static void rewrite(TraceHeaders headers, Context context, long newSpanId) {
        String span = TraceIds.hex(newSpanId);
        String parent = TraceIds.hex(context.spanId());
        String trace = context.traceIdHex();
        if (context.b3Multi()) {
            headers.set(B3_SPAN_ID, span);
            headers.set(B3_PARENT_SPAN_ID, parent);
        }
        if (context.b3Single()) {
            String state = context.debug() ? "d" : context.sampled() == null ? null : context.sampled() ? "1" : "0";
            headers.set(B3, trace + "-" + span + (state == null ? "" : "-" + state) + "-" + parent);
        }
        if (context.w3c()) {
            headers.set(TRACEPARENT, W3cTraceparent.write(trace, span, context.w3cFlags()));
            if (context.badTracestate() != null) {
                headers.remove(TRACESTATE);
            }
        }
    }

    /**
     * A valid {@code traceparent} as a strict version-00 reader takes it: version 00, without a later
     * version's extra fields, with the sampled flag alone. Brave's W3C reader (Micrometer Tracing's,
     * brave-propagation-tracecontext) refuses any other flags and any other version's shape, where
     * Trace Context says a receiver reads them; the services give it this. Null when the value is
     * invalid: left as it came, a strict reader refuses it too.
     */
    public static String traceparentForStrictReaders(CharSequence traceparent) {
        if (!(W3cTraceparent.read(traceparent) instanceof Found found)) {
            return null;
        }
        Ids ids = found.ids();
        return W3cTraceparent.write(TraceIds.traceIdHex(ids.high(), ids.low()), TraceIds.hex(ids.span()),
                found.w3cFlags() & W3cTraceparent.SAMPLED);
    }

    public static long newSpanId() {
        return TraceIds.newSpanId();
    }
}
