package io.emojivoto.tracecontext;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Trace and span ids as the headers spell them: lowercase hex, 16 or 32 digits for a trace, 16 for a
 * span, never all zeros. Read in place, without copying the text.
 */
public final class TraceIds {

    private TraceIds() {
    }

    /** A trace id (its high and low 64 bits; high is 0 for a 64-bit id) with the span id that came with it. */
    record Ids(long high, long low, long span) {
        boolean sameTrace(Ids other) {
            return high == other.high && low == other.low;
        }
    }

    /** The trace id at [from, to) of {@code text} with {@code span}; null unless 16 or 32 hex digits, not all zero, and a span id. */
    static Ids ids(CharSequence text, int from, int to, long span) {
        int length = to - from;
        if ((length != 16 && length != 32) || !isHex(text, from, to) || span == 0) {
            return null;
        }
        long high = length == 32 ? hexValue(text, from, from + 16) : 0;
        long low = hexValue(text, to - 16, to);
        return high == 0 && low == 0 ? null : new Ids(high, low, span);
    }

    /** The span id at [from, to): 0 unless 16 lowercase hex digits (0 is never a valid id). */
    static long spanId(CharSequence text, int from, int to) {
        return to - from == 16 && isHex(text, from, to) ? hexValue(text, from, to) : 0;
    }

    /** Whether [from, to) is one or more lowercase hex digits: the specs allow no capitals. */
    static boolean isHex(CharSequence text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return to > from;
    }

    /** Up to 16 lowercase hex digits, checked by {@link #isHex}, as an unsigned long. */
    static long hexValue(CharSequence text, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            v = (v << 4) | (c <= '9' ? c - '0' : c - 'a' + 10);
        }
        return v;
    }

    /** An id as 16 lowercase hex digits. */
    public static String hex(long id) {
        String s = Long.toHexString(id);
        return "0".repeat(16 - s.length()) + s;
    }

    /** A trace id as hex: 16 digits for a 64-bit id (high 0), else 32. */
    static String traceIdHex(long high, long low) {
        return high == 0 ? hex(low) : hex(high) + hex(low);
    }

    /** The first {@code c} in {@code text} at or after {@code from}; -1 when there is none. */
    static int indexOf(CharSequence text, char c, int from) {
        for (int i = from; i < text.length(); i++) {
            if (text.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    /** A trace id as W3C spells it, 32 digits: a 64-bit B3 trace id is widened with zeros on the left. */
    public static String to128Bits(String traceIdHex) {
        return traceIdHex.length() == 16 ? "0000000000000000" + traceIdHex : traceIdHex;
    }

    /** A new random span id, never 0. */
    public static long newSpanId() {
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong();
        } while (id == 0);
        return id;
    }
}
