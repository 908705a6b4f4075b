package io.emojivoto.tracecontext;

import java.util.ArrayList;
import java.util.List;

/**
 * A generated set of invalid trace contexts: wrong lengths, non-hex, zero ids, bad flags, duplicates, a
 * wrong traceparent version, an over-long tracestate. Every part is tested with it (the test-jar).
 */
public final class MalformedTraceHeaders {

    private MalformedTraceHeaders() {
    }

    private static final String TRACE = "463ac35c9f6413ad48485a3953bb6124";
    private static final String SPAN = "a2fb4a1d1a96d312";

    public static List<String[]> asPairs() {
        List<String[]> sets = new ArrayList<>();
        for (String badTrace : new String[] {"", "abc", TRACE.substring(1), TRACE + "0", TRACE.toUpperCase(), "g" + TRACE.substring(1),
                "0".repeat(32), "0".repeat(16), "-" + TRACE.substring(1)}) {
            sets.add(new String[] {"x-b3-traceid", badTrace, "x-b3-spanid", SPAN, "x-b3-sampled", "1"});
        }
        for (String badSpan : new String[] {"", "123", SPAN + "0", "0".repeat(16), "z" + SPAN.substring(1), SPAN.toUpperCase()}) {
            sets.add(new String[] {"x-b3-traceid", TRACE, "x-b3-spanid", badSpan, "x-b3-sampled", "1"});
        }
        for (String badSampled : new String[] {"2", "yes", "", "-1"}) {
            sets.add(new String[] {"x-b3-traceid", TRACE, "x-b3-spanid", SPAN, "x-b3-sampled", badSampled});
        }
        sets.add(new String[] {"x-b3-traceid", TRACE, "x-b3-spanid", SPAN, "x-b3-flags", "2"});
        sets.add(new String[] {"x-b3-traceid", TRACE, "x-b3-sampled", "1"}); // span id missing
        sets.add(new String[] {"x-b3-traceid", TRACE, "x-b3-spanid", SPAN, "x-b3-parentspanid", "-"});
        sets.add(new String[] {"x-b3-traceid", TRACE, "x-b3-traceid", TRACE, "x-b3-spanid", SPAN, "x-b3-sampled", "1"});
        sets.add(new String[] {"x-b3-traceid", TRACE, "x-b3-spanid", SPAN, "x-b3-sampled", "1", "x-b3-sampled", "0"});
        for (String badB3 : new String[] {"garbage", TRACE, TRACE + "-", TRACE + "-" + SPAN + "-x", TRACE + "-" + SPAN + "-1-zz",
                TRACE + "-" + SPAN + "-1-" + SPAN + "-extra", "0".repeat(32) + "-" + SPAN + "-1", "2"}) {
            sets.add(new String[] {"b3", badB3});
        }
        for (String badTp : new String[] {"00-" + TRACE + "-" + SPAN, "01-" + TRACE + "-" + SPAN + "-01", "ff-" + TRACE + "-" + SPAN + "-01",
                "00-" + "0".repeat(32) + "-" + SPAN + "-01", "00-" + TRACE + "-" + "0".repeat(16) + "-01", "00-" + TRACE.substring(16) + "-" + SPAN + "-01",
                "00-" + TRACE + "-" + SPAN + "-0x", "garbage"}) {
            sets.add(new String[] {"traceparent", badTp});
        }
        String longState = "vendor" + "=" + "x".repeat(600);
        String manyMembers = String.join(",", java.util.stream.IntStream.range(0, 40).mapToObj(i -> "v" + i + "=1").toList());
        for (String badState : new String[] {longState, manyMembers}) {
            sets.add(new String[] {"traceparent", "00-" + TRACE + "-" + SPAN + "-01", "tracestate", badState});
        }
        return sets;
    }
}
