package io.emojivoto.tracecontext;

import io.emojivoto.tracecontext.Reading.Found;
import io.emojivoto.tracecontext.Reading.Invalid;
import io.emojivoto.tracecontext.TraceIds.Ids;

/**
 * Reads B3's multi-headers: {@code X-B3-TraceId} and {@code X-B3-SpanId} together, optionally
 * {@code X-B3-ParentSpanId}, and the decision in {@code X-B3-Sampled} ({@code 1}/{@code 0}, or
 * {@code true}/{@code false} from old clients) or {@code X-B3-Flags: 1} (debug). A decision may come
 * without ids.
 */
final class B3Multi {

    private B3Multi() {
    }

    static Reading read(CharSequence traceId, CharSequence spanId, CharSequence parentSpanId, CharSequence sampled,
                        CharSequence flags) {
        if (traceId == null && spanId == null && parentSpanId == null && sampled == null && flags == null) {
            return Reading.NONE;
        }
        if ((traceId == null) != (spanId == null)) {
            return new Invalid("X-B3-TraceId and X-B3-SpanId must come together");
        }
        Ids ids = null;
        if (traceId != null) {
            ids = TraceIds.ids(traceId, 0, traceId.length(), TraceIds.spanId(spanId, 0, spanId.length()));
            if (ids == null) {
                return new Invalid("bad X-B3 ids");
            }
        }
        if (parentSpanId != null && TraceIds.spanId(parentSpanId, 0, parentSpanId.length()) == 0) {
            return new Invalid("bad X-B3-ParentSpanId");
        }
        Boolean decision = null;
        if (sampled != null) {
            if (is(sampled, "1") || is(sampled, "true")) {
                decision = true;
            } else if (is(sampled, "0") || is(sampled, "false")) {
                decision = false;
            } else {
                return new Invalid("bad X-B3-Sampled " + sampled);
            }
        }
        boolean debug = false;
        if (flags != null) {
            if (is(flags, "1")) {
                debug = true;
            } else if (!is(flags, "0")) {
                return new Invalid("bad X-B3-Flags " + flags);
            }
        }
        return new Found(ids, decision, debug, 0);
    }

    private static boolean is(CharSequence value, String expected) {
        return expected.contentEquals(value);
    }
}
