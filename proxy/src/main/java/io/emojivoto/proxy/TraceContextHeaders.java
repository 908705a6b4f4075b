package io.emojivoto.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads the trace context a request carries (W3C {@code traceparent}, the single {@code b3} header,
 * B3 multi-headers) and, for a sampled request, rewrites the span id it forwards in every format it
 * came in, so that the spans below the proxy become children of the proxy's span.
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

    private static boolean repeated(HttpHeaders headers, AsciiString name) {
        return headers.contains(name) && headers.getAll(name).size() > 1;
    }

    public static Parsed parse(HttpHeaders headers) {
        if (!headers.contains(TRACE_ID) && !headers.contains(B3) && !headers.contains(TRACEPARENT)
                && !headers.contains(SPAN_ID) && !headers.contains(SAMPLED) && !headers.contains(FLAGS)
                && !headers.contains(PARENT_SPAN_ID)) {
            return ABSENT; // the common case, without allocating
        }
        List<String> single = headers.getAll(B3);
        List<String> traceIds = headers.getAll(TRACE_ID);
        List<String> spanIds = headers.getAll(SPAN_ID);
        List<String> traceparents = headers.getAll(TRACEPARENT);
        boolean multiPresent = !traceIds.isEmpty() || !spanIds.isEmpty() || headers.contains(SAMPLED)
                || headers.contains(FLAGS) || headers.contains(PARENT_SPAN_ID);
        if (single.isEmpty() && !multiPresent && traceparents.isEmpty()) {
            return ABSENT;
        }
        AsciiString duplicate = single.size() > 1 ? B3 : traceIds.size() > 1 ? TRACE_ID : spanIds.size() > 1 ? SPAN_ID
                : traceparents.size() > 1 ? TRACEPARENT : repeated(headers, PARENT_SPAN_ID) ? PARENT_SPAN_ID
                : repeated(headers, SAMPLED) ? SAMPLED : repeated(headers, FLAGS) ? FLAGS : null;
        if (duplicate != null) {
            return new Malformed("duplicate " + duplicate);
        }

        Ids b3Ids = null;
        Boolean sampled = null;
        boolean debug = false;
        if (!single.isEmpty()) {
            String value = single.get(0);
            String[] parts = value.split("-", -1);
            if (parts.length == 1) { // sampling state only: "0", "1" or "d"
                return parts[0].equals("0") || parts[0].equals("1") || parts[0].equals("d")
                        ? ABSENT : new Malformed("b3: " + value);
            }
            if (parts.length > 4) {
                return new Malformed("b3: too many fields");
            }
            b3Ids = ids(parts[0], parts[1]);
            if (b3Ids == null) {
                return new Malformed("b3: bad ids");
            }
            if (parts.length >= 3) {
                switch (parts[2]) {
                    case "1" -> sampled = true;
                    case "0" -> sampled = false;
                    case "d" -> debug = true;
                    default -> {
                        return new Malformed("b3: bad sampling state " + parts[2]);
                    }
                }
            }
            if (parts.length == 4 && spanId(parts[3]) == 0) {
                return new Malformed("b3: bad parent id");
            }
        }

        Ids multiIds = null;
        if (multiPresent) {
            if (traceIds.isEmpty() != spanIds.isEmpty()) {
                return new Malformed("X-B3-TraceId and X-B3-SpanId must come together");
            }
            if (!traceIds.isEmpty()) {
                multiIds = ids(traceIds.get(0), spanIds.get(0));
                if (multiIds == null) {
                    return new Malformed("bad X-B3 ids");
                }
            }
            String parent = headers.get(PARENT_SPAN_ID);
            if (parent != null && spanId(parent) == 0) {
                return new Malformed("bad X-B3-ParentSpanId");
            }
            String s = headers.get(SAMPLED);
            if (s != null) {
                switch (s) {
                    case "1", "true" -> sampled = sampled == null ? Boolean.TRUE : sampled;
                    case "0", "false" -> sampled = sampled == null ? Boolean.FALSE : sampled;
                    default -> {
                        return new Malformed("bad X-B3-Sampled " + s);
                    }
                }
            }
            String flags = headers.get(FLAGS);
            if (flags != null) {
                if (flags.equals("1")) {
                    debug = true;
                } else if (!flags.equals("0")) {
                    return new Malformed("bad X-B3-Flags " + flags);
                }
            }
            if (multiIds == null && b3Ids == null && traceparents.isEmpty()) {
                return ABSENT; // only a sampling decision, no ids: nothing to join
            }
        }

        Ids w3cIds = null;
        Boolean w3cSampled = null;
        if (!traceparents.isEmpty()) {
            String[] parts = traceparents.get(0).split("-", -1);
            if (parts.length != 4 || !parts[0].equals("00") || parts[1].length() != 32 || parts[3].length() != 2
                    || !isHex(parts[3])) {
                return new Malformed("traceparent: " + traceparents.get(0));
            }
            w3cIds = ids(parts[1], parts[2]);
            if (w3cIds == null) {
                return new Malformed("traceparent: bad ids");
            }
            w3cSampled = (Integer.parseInt(parts[3], 16) & 1) == 1;
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

    private static Ids ids(String traceId, String spanId) {
        if ((traceId.length() != 16 && traceId.length() != 32) || !isHex(traceId)) {
            return null;
        }
        long high = traceId.length() == 32 ? Long.parseUnsignedLong(traceId.substring(0, 16), 16) : 0;
        long low = Long.parseUnsignedLong(traceId.substring(traceId.length() - 16), 16);
        long span = spanId(spanId);
        if ((high == 0 && low == 0) || span == 0) {
            return null;
        }
        return new Ids(high, low, span);
    }

    /** 0 when not 16 lowercase hex characters (0 is never a valid id). */
    private static long spanId(String value) {
        return value.length() == 16 && isHex(value) ? Long.parseUnsignedLong(value, 16) : 0;
    }

    private static boolean isHex(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return !value.isEmpty();
    }

    static String hex(long value) {
        String s = Long.toHexString(value);
        return "0".repeat(16 - s.length()) + s;
    }
}
