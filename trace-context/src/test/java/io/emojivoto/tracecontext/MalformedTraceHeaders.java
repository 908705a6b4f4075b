package io.emojivoto.tracecontext;

import java.util.ArrayList;
import java.util.List;

/**
 * A generated set of invalid trace contexts: wrong lengths, capitals and other non-hex, zero ids, bad
 * flags, duplicates, traceparent versions and shapes W3C rejects (the W3C test suite's cases among them).
 * Every part is tested with it (the test-jar). An invalid tracestate beside a valid traceparent is not
 * here: the context stands and only the list is dropped ({@link #invalidTracestates}).
 */
public final class MalformedTraceHeaders {

    private MalformedTraceHeaders() {
    }

    private static final String TRACE = "463ac35c9f6413ad48485a3953bb6124";
    private static final String SPAN = "a2fb4a1d1a96d312";

    /** Tracestate lists W3C calls invalid, each beside a valid sampled traceparent. */
    public static List<String[]> invalidTracestates() {
        List<String[]> sets = new ArrayList<>();
        String members33 = String.join(",", java.util.stream.IntStream.range(0, 33).mapToObj(i -> "v" + i + "=1").toList());
        String members40 = String.join(",", java.util.stream.IntStream.range(0, 40).mapToObj(i -> "v" + i + "=1").toList());
        for (String badState : new String[] {members33, members40, "foo=1,foo=2", "FOO=1", "foo.bar=1", "foo =1", "foo@=1,bar=2",
                "@foo=1", "foo@bar@baz=1", "foo=bar=baz", "foo=,bar=3", "z".repeat(257) + "=1", "t@" + "v".repeat(15) + "=1"}) {
            sets.add(new String[] {"traceparent", "00-" + TRACE + "-" + SPAN + "-01", "tracestate", badState});
        }
        return sets;
    }

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
        for (String badTp : new String[] {"00-" + TRACE + "-" + SPAN, "ff-" + TRACE + "-" + SPAN + "-01",
                "00-" + "0".repeat(32) + "-" + SPAN + "-01", "00-" + TRACE + "-" + "0".repeat(16) + "-01", "00-" + TRACE.substring(16) + "-" + SPAN + "-01",
                "00-" + TRACE + "-" + SPAN + "-0x", "garbage", "00-" + TRACE.toUpperCase() + "-" + SPAN + "-01",
                "00-" + TRACE + "-" + SPAN + "-01.", "00-" + TRACE + "-" + SPAN + "-01-what-the-future-will-be-like",
                "cc-" + TRACE + "-" + SPAN + "-01.what-the-future-will-be-like", "0-" + TRACE + "-" + SPAN + "-01",
                "000-" + TRACE + "-" + SPAN + "-01", ".0-" + TRACE + "-" + SPAN + "-01", "00-" + TRACE + "-" + SPAN + "-1",
                "00-" + TRACE + "-" + SPAN + "-001"}) {
            sets.add(new String[] {"traceparent", badTp});
        }
        sets.add(new String[] {"traceparent", "00-" + TRACE + "-" + SPAN + "-01", "traceparent", "00-" + TRACE + "-" + SPAN + "-01"});
        return sets;
    }
}
