package io.emojivoto.tracecontext;

import io.emojivoto.tracecontext.Reading.Found;
import io.emojivoto.tracecontext.Reading.Invalid;
import io.emojivoto.tracecontext.TraceIds.Ids;

/**
 * Reads W3C's {@code traceparent}, {@code {version}-{trace-id}-{parent-id}-{trace-flags}}, as Trace
 * Context (www.w3.org/TR/trace-context, section 3.2) says a receiver must:
 * <ul>
 *   <li>version: two lowercase hex digits, anything but {@code ff}. Version {@code 00} is exactly 55
 *       characters. A later version is read as far as version 00 defines it: at least 55 characters,
 *       and whatever a later version adds comes after a {@code -} (section 3.2.4);
 *   <li>trace-id 32 and parent-id 16 lowercase hex digits, neither all zeros;
 *   <li>trace-flags: two hex digits. Bit 0 is {@code sampled}; bit 1, Level 2's {@code random-trace-id},
 *       says the trace id's right 7 bytes are random. Other bits are reserved.
 * </ul>
 */
final class W3cTraceparent {

    /** The trace-flags bits this implementation knows, and so forwards; the reserved ones it clears (section 3.2.2.5). */
    static final int SAMPLED = 0x01;
    static final int RANDOM_TRACE_ID = 0x02;
    static final int KNOWN_FLAGS = SAMPLED | RANDOM_TRACE_ID;

    /** {@code 00-} + 32 + {@code -} + 16 + {@code -} + 2. */
    static final int VERSION_00_LENGTH = 55;

    private W3cTraceparent() {
    }

    static Reading read(CharSequence traceparent) {
        if (traceparent == null) {
            return Reading.NONE;
        }
        int length = traceparent.length();
        if (length < VERSION_00_LENGTH || !TraceIds.isHex(traceparent, 0, 2)) {
            return new Invalid("traceparent: " + traceparent);
        }
        boolean version00 = traceparent.charAt(0) == '0' && traceparent.charAt(1) == '0';
        if (traceparent.charAt(0) == 'f' && traceparent.charAt(1) == 'f') {
            return new Invalid("traceparent: version ff is forbidden");
        }
        boolean restAllowed = version00 ? length == VERSION_00_LENGTH
                : length == VERSION_00_LENGTH || traceparent.charAt(VERSION_00_LENGTH) == '-';
        if (!restAllowed || traceparent.charAt(2) != '-' || traceparent.charAt(35) != '-' || traceparent.charAt(52) != '-'
                || !TraceIds.isHex(traceparent, 53, 55)) {
            return new Invalid("traceparent: " + traceparent);
        }
        Ids ids = TraceIds.ids(traceparent, 3, 35, TraceIds.spanId(traceparent, 36, 52));
        if (ids == null) {
            return new Invalid("traceparent: bad ids");
        }
        int flags = (int) TraceIds.hexValue(traceparent, 53, 55);
        return new Found(ids, (flags & SAMPLED) != 0, false, flags);
    }

    /** What a version-00 writer sends on: the version, the ids, and only the flags it knows. */
    static String write(String traceIdHex, String spanIdHex, int flags) {
        int known = flags & KNOWN_FLAGS;
        return "00-" + TraceIds.to128Bits(traceIdHex) + "-" + spanIdHex + "-0" + known;
    }
}
