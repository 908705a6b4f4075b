package io.emojivoto.tracecontext;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.Iterator;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads the trace context a request carries (W3C {@code traceparent} with its {@code tracestate}, the
 * single {@code b3} header, B3 multi-headers) and, for a sampled request, rewrites the span id it
 * forwards in every format it came in, so that the spans below the proxy become children of the
 * proxy's span. The proxy uses both; the services use {@link #parse} to count malformed headers.
 *
 * <p>Three outcomes: {@link Absent} (no trace headers: forward untouched), {@link Malformed} (a trace
 * header is present but invalid: forward untouched, count it) and {@link Context}.
 */
public final class TraceContextHeaders {

    // AsciiString, not String: Netty's header map hashes a String name on every lookup, and an
    // AsciiString once; every request looks these up.
    static final AsciiString B3 = AsciiString.cached("b3");
    static final AsciiString TRACE_ID = AsciiString.cached("x-b3-traceid");
    static final AsciiString SPAN_ID = AsciiString.cached("x-b3-spanid");
    static final AsciiString PARENT_SPAN_ID = AsciiString.cached("x-b3-parentspanid");
    static final AsciiString SAMPLED = AsciiString.cached("x-b3-sampled");
    static final AsciiString FLAGS = AsciiString.cached("x-b3-flags");
    static final AsciiString TRACEPARENT = AsciiString.cached("traceparent");
    static final AsciiString TRACESTATE = AsciiString.cached("tracestate");
    /** W3C's limits for tracestate: at most 32 list members, and a receiver may drop one longer than 512 characters. */
    static final int TRACESTATE_MAX_MEMBERS = 32;
    static final int TRACESTATE_MAX_LENGTH = 512;

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
     * A valid incoming context. {@code sampled} is null when the caller deferred the decision.
     * {@code traceIdHigh} is 0 for a 64-bit trace id.
     */
    public record Context(long traceIdHigh, long traceId, long spanId, Boolean sampled, boolean debug,
                          boolean b3Single, boolean b3Multi, boolean w3c) implements Parsed {

        public boolean isSampled() {
            return debug || Boolean.TRUE.equals(sampled);
        }

        public String traceIdHex() {
            return traceIdHigh == 0 ? hex(traceId) : hex(traceIdHigh) + hex(traceId);
        }
    }

    /** The trace headers, in the order duplicates are reported. */
    private static final AsciiString[] NAMES = {B3, TRACE_ID, SPAN_ID, TRACEPARENT, PARENT_SPAN_ID, SAMPLED, FLAGS};
    // positions in NAMES
    private static final int SINGLE = 0, MULTI_TRACE = 1, MULTI_SPAN = 2, W3C = 3, MULTI_PARENT = 4, MULTI_SAMPLED = 5, MULTI_FLAGS = 6;

    /**
     * Reads the trace headers, then their values in place. Every request goes through here, so a
     * request without trace headers costs a lookup per name and allocates nothing.
     */
    public static Parsed parse(HttpHeaders headers) {
        CharSequence[] value = null; // the value of each trace header, by position in NAMES
        for (int i = 0; i < NAMES.length; i++) {
            if (!headers.contains(NAMES[i])) {
                continue; // the common case: most requests carry few of them
            }
            Iterator<? extends CharSequence> values = headers.valueCharSequenceIterator(NAMES[i]);
            CharSequence first = values.next();
            if (values.hasNext()) {
                return new Malformed("duplicate " + NAMES[i]);
            }
            if (value == null) {
                value = new CharSequence[NAMES.length];
            }
            value[i] = first;
        }
        if (value == null) {
            return ABSENT;
        }
        if (value[W3C] != null && headers.contains(TRACESTATE)) {
            Malformed state = tracestate(headers);
            if (state != null) {
                return state;
            }
        }

        Ids b3Ids = null;
        Boolean sampled = null;
        boolean debug = false;
        CharSequence single = value[SINGLE];
        if (single != null) {
            int end = single.length();
            int dash1 = indexOf(single, '-', 0);
            if (dash1 < 0) { // sampling state only: "0", "1" or "d"
                return end == 1 && (single.charAt(0) == '0' || single.charAt(0) == '1' || single.charAt(0) == 'd')
                        ? ABSENT : new Malformed("b3: " + single);
            }
            int dash2 = indexOf(single, '-', dash1 + 1);
            int dash3 = dash2 < 0 ? -1 : indexOf(single, '-', dash2 + 1);
            if (dash3 >= 0 && indexOf(single, '-', dash3 + 1) >= 0) {
                return new Malformed("b3: too many fields");
            }
            b3Ids = ids(single, 0, dash1, dash1 + 1, dash2 < 0 ? end : dash2);
            if (b3Ids == null) {
                return new Malformed("b3: bad ids");
            }
            if (dash2 >= 0) {
                int stateEnd = dash3 < 0 ? end : dash3;
                char state = stateEnd - dash2 == 2 ? single.charAt(dash2 + 1) : '?';
                switch (state) {
                    case '1' -> sampled = true;
                    case '0' -> sampled = false;
                    case 'd' -> debug = true;
                    default -> {
                        return new Malformed("b3: bad sampling state " + single.subSequence(dash2 + 1, stateEnd));
                    }
                }
            }
            if (dash3 >= 0 && spanId(single, dash3 + 1, end) == 0) {
                return new Malformed("b3: bad parent id");
            }
        }

        Ids multiIds = null;
        CharSequence traceId = value[MULTI_TRACE];
        CharSequence spanId = value[MULTI_SPAN];
        CharSequence traceparent = value[W3C];
        if (traceId != null || spanId != null || value[MULTI_SAMPLED] != null || value[MULTI_FLAGS] != null
                || value[MULTI_PARENT] != null) {
            if ((traceId == null) != (spanId == null)) {
                return new Malformed("X-B3-TraceId and X-B3-SpanId must come together");
            }
            if (traceId != null) {
                multiIds = ids(traceId, 0, traceId.length(), spanId(spanId, 0, spanId.length()));
                if (multiIds == null) {
                    return new Malformed("bad X-B3 ids");
                }
            }
            CharSequence parent = value[MULTI_PARENT];
            if (parent != null && spanId(parent, 0, parent.length()) == 0) {
                return new Malformed("bad X-B3-ParentSpanId");
            }
            CharSequence s = value[MULTI_SAMPLED];
            if (s != null) {
                if (is(s, "1") || is(s, "true")) {
                    sampled = sampled == null ? Boolean.TRUE : sampled;
                } else if (is(s, "0") || is(s, "false")) {
                    sampled = sampled == null ? Boolean.FALSE : sampled;
                } else {
                    return new Malformed("bad X-B3-Sampled " + s);
                }
            }
            CharSequence flags = value[MULTI_FLAGS];
            if (flags != null) {
                if (is(flags, "1")) {
                    debug = true;
                } else if (!is(flags, "0")) {
                    return new Malformed("bad X-B3-Flags " + flags);
                }
            }
            if (multiIds == null && b3Ids == null && traceparent == null) {
                return ABSENT; // only a sampling decision, no ids: nothing to join
            }
        }

        Ids w3cIds = null;
        Boolean w3cSampled = null;
        if (traceparent != null) {
            // version "00", then 32 + 16 hex digits and 2 of flags: 00-{trace}-{span}-{flags}
            if (traceparent.length() != 55 || traceparent.charAt(0) != '0' || traceparent.charAt(1) != '0'
                    || traceparent.charAt(2) != '-' || traceparent.charAt(35) != '-' || traceparent.charAt(52) != '-'
                    || !isHex(traceparent, 53, 55)) {
                return new Malformed("traceparent: " + traceparent);
            }
            w3cIds = ids(traceparent, 3, 35, 36, 52);
            if (w3cIds == null) {
                return new Malformed("traceparent: bad ids");
            }
            w3cSampled = (hexValue(traceparent, 53, 55) & 1) == 1;
        }

        // Precedence as in the B3 spec and Brave: single b3, then multi, then W3C.
        Ids chosen = b3Ids != null ? b3Ids : multiIds != null ? multiIds : w3cIds;
        if (sampled == null && !debug && chosen == w3cIds) {
            sampled = w3cSampled;
        }
        return new Context(chosen.high, chosen.low, chosen.span, sampled, debug,
                b3Ids != null && b3Ids.sameTrace(chosen),
                multiIds != null && multiIds.sameTrace(chosen),
                w3cIds != null && w3cIds.sameTrace(chosen));
    }

    /** The tracestate fields taken together (W3C allows several): too long or too many members is malformed. */
    private static Malformed tracestate(HttpHeaders headers) {
        int length = 0;
        int members = 0;
        Iterator<? extends CharSequence> values = headers.valueCharSequenceIterator(TRACESTATE);
        while (values.hasNext()) {
            CharSequence state = values.next();
            length += state.length();
            for (int i = 0; i < state.length(); i++) {
                if (state.charAt(i) == '=') {
                    members++;
                }
            }
        }
        if (length > TRACESTATE_MAX_LENGTH) {
            return new Malformed("tracestate: " + length + " characters, more than " + TRACESTATE_MAX_LENGTH);
        }
        return members > TRACESTATE_MAX_MEMBERS ? new Malformed("tracestate: " + members + " members, more than "
                + TRACESTATE_MAX_MEMBERS) : null;
    }

    private static boolean is(CharSequence value, String expected) {
        return AsciiString.contentEquals(value, expected);
    }

    private static int indexOf(CharSequence s, char c, int from) {
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Forwards {@code newSpanId} as the span id in every format the context came in, with the
     * incoming span id as its parent.
     */
    public static void rewrite(HttpHeaders headers, Context context, long newSpanId) {
        String span = hex(newSpanId);
        String parent = hex(context.spanId());
        String trace = context.traceIdHex();
        if (context.b3Multi()) {
            headers.set(SPAN_ID, span);
            headers.set(PARENT_SPAN_ID, parent);
        }
        if (context.b3Single()) {
            String state = context.debug() ? "d" : context.sampled() == null ? null : context.sampled() ? "1" : "0";
            headers.set(B3, trace + "-" + span + (state == null ? "" : "-" + state) + "-" + parent);
        }
        if (context.w3c()) {
            String flags = headers.get(TRACEPARENT).substring(53);
            String w3cTrace = context.traceIdHigh() == 0 ? "0000000000000000" + trace : trace;
            headers.set(TRACEPARENT, "00-" + w3cTrace + "-" + span + "-" + flags);
        }
    }

    public static long newSpanId() {
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong();
        } while (id == 0);
        return id;
    }

    private record Ids(long high, long low, long span) {
        boolean sameTrace(Ids other) {
            return high == other.high && low == other.low;
        }
    }

    /** The trace id at [from, to) of {@code trace}, with the span id of the same text at [spanFrom, spanTo); null when invalid. */
    private static Ids ids(CharSequence trace, int from, int to, int spanFrom, int spanTo) {
        return ids(trace, from, to, spanId(trace, spanFrom, spanTo));
    }

    /** 16 or 32 lowercase hex digits, not all zero, and a valid span id; null otherwise. */
    private static Ids ids(CharSequence trace, int from, int to, long span) {
        int length = to - from;
        if ((length != 16 && length != 32) || !isHex(trace, from, to) || span == 0) {
            return null;
        }
        long high = length == 32 ? hexValue(trace, from, from + 16) : 0;
        long low = hexValue(trace, to - 16, to);
        return high == 0 && low == 0 ? null : new Ids(high, low, span);
    }

    /** The span id at [from, to): 0 when not 16 lowercase hex digits (0 is never a valid id). */
    private static long spanId(CharSequence s, int from, int to) {
        return to - from == 16 && isHex(s, from, to) ? hexValue(s, from, to) : 0;
    }

    private static boolean isHex(CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return to > from;
    }

    /** Up to 16 lowercase hex digits, checked by {@link #isHex}, as an unsigned long. */
    private static long hexValue(CharSequence s, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            v = (v << 4) | (c <= '9' ? c - '0' : c - 'a' + 10);
        }
        return v;
    }

    static String hex(long value) {
        String s = Long.toHexString(value);
        return "0".repeat(16 - s.length()) + s;
    }
}
