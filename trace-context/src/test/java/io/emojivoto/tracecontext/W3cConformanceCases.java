package io.emojivoto.tracecontext;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The W3C Trace Context cases of docs/proxy.md's conformance table: what a request carries, and what the
 * proxy and the ingress (reading client context with TRUST_INCOMING_TRACE, in W3C mode) send on. Each
 * part's tests run every row against the real part (the test-jar); a test checks the table against this
 * list. In a request, {@code {trace}} and {@code {span}} stand for a fresh trace id and span id, and
 * {@code {TRACE}} for the trace id in capitals.
 */
public final class W3cConformanceCases {

    private W3cConformanceCases() {
    }

    /**
     * What a part sends on.
     *
     * @param continues  whether it carries the request's trace on, as its child; false: the proxy forwards
     *                   the headers as they came, the ingress starts a trace of its own
     * @param flags      when it continues, the trace-flags of the traceparent it sends (always version 00)
     * @param tracestate when it continues, the tracestate it sends, its lines joined with commas; null for none
     */
    public record Outcome(boolean continues, String flags, String tracestate) {
    }

    static Outcome continues(String flags, String tracestate) {
        return new Outcome(true, flags, tracestate);
    }

    static final Outcome UNTOUCHED = new Outcome(false, null, null);

    /**
     * @param id      the row's name in the table
     * @param clause  the section of Trace Context (www.w3.org/TR/trace-context) or its test suite it follows
     * @param headers name, value, name, value… with {trace} and {span} to fill in
     */
    public record Case(String id, String clause, String[] headers, Outcome proxy, Outcome ingress) {

        /** The headers with the ids filled in. */
        public String[] headers(String trace, String span) {
            String[] filled = headers.clone();
            for (int i = 1; i < filled.length; i += 2) {
                filled[i] = filled[i].replace("{trace}", trace).replace("{span}", span)
                        .replace("{TRACE}", "A" + trace.substring(1).toUpperCase(java.util.Locale.ROOT));
            }
            return filled;
        }

        /** Whether the request asks for a sampled trace with a context the parts can read. */
        public boolean sampledAndValid() {
            return proxy.continues();
        }
    }

    private static final String TP = "{trace}-{span}-";

    static String members(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> "bar%02d=%02d".formatted(i, i)).collect(Collectors.joining(","));
    }

    /** 600 characters in 3 valid members. */
    static final String LONG_STATE = "a=" + "x".repeat(256) + ",b=" + "y".repeat(256) + ",c=" + "z".repeat(78);

    public static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("version-00", "3.2", new String[] {"traceparent", "00-" + TP + "01"},
                continues("01", null), continues("01", null)));
        cases.add(new Case("version-cc", "3.2.4, test_traceparent_version_0xcc", new String[] {"traceparent", "cc-" + TP + "01"},
                continues("01", null), continues("01", null)));
        cases.add(new Case("version-cc-more-fields", "3.2.4, test_traceparent_version_0xcc",
                new String[] {"traceparent", "cc-" + TP + "01-what-the-future-will-be-like"}, continues("01", null), continues("01", null)));
        cases.add(new Case("version-cc-bad-separator", "3.2.4, test_traceparent_version_0xcc",
                new String[] {"traceparent", "cc-" + TP + "01.what-the-future-will-be-like"}, UNTOUCHED, UNTOUCHED));
        cases.add(new Case("version-ff", "3.2.2.1, test_traceparent_version_0xff", new String[] {"traceparent", "ff-" + TP + "01"},
                UNTOUCHED, UNTOUCHED));
        cases.add(new Case("version-00-more-fields", "3.2.4, test_traceparent_version_0x00",
                new String[] {"traceparent", "00-" + TP + "01-what-the-future-will-be-like"}, UNTOUCHED, UNTOUCHED));
        cases.add(new Case("capital-hex", "3.2.2 (HEXDIGLC)", new String[] {"traceparent", "00-{TRACE}-{span}-01"}, UNTOUCHED, UNTOUCHED));
        cases.add(new Case("trace-id-all-zeros", "3.2.2.3, test_traceparent_trace_id_all_zero",
                new String[] {"traceparent", "00-00000000000000000000000000000000-{span}-01"}, UNTOUCHED, UNTOUCHED));
        cases.add(new Case("two-traceparents", "3.2.1, test_traceparent_duplicated",
                new String[] {"traceparent", "00-" + TP + "01", "traceparent", "00-" + TP + "01"}, UNTOUCHED, UNTOUCHED));
        cases.add(new Case("reserved-flags", "3.2.2.5", new String[] {"traceparent", "00-" + TP + "09"},
                continues("01", null), continues("01", null)));
        cases.add(new Case("random-trace-id-flag", "Level 2, 3.2.2.5.2", new String[] {"traceparent", "00-" + TP + "03"},
                continues("03", null), continues("03", null)));
        cases.add(new Case("tracestate-32-members", "3.3.1.1, test_tracestate_member_count_limit",
                new String[] {"traceparent", "00-" + TP + "01", "tracestate", members(32)},
                continues("01", members(32)), continues("01", members(32))));
        cases.add(new Case("tracestate-33-members", "3.3.1.1, test_tracestate_member_count_limit",
                new String[] {"traceparent", "00-" + TP + "01", "tracestate", members(33)}, continues("01", null), continues("01", null)));
        cases.add(new Case("tracestate-40-members", "3.3.1.1", new String[] {"traceparent", "00-" + TP + "01", "tracestate", members(40)},
                continues("01", null), continues("01", null)));
        cases.add(new Case("tracestate-over-512-characters", "3.3.1.5", new String[] {"traceparent", "00-" + TP + "01", "tracestate", LONG_STATE},
                continues("01", LONG_STATE), continues("01", LONG_STATE)));
        cases.add(new Case("tracestate-duplicate-key", "3.3.1.1, test_tracestate_duplicated_keys",
                new String[] {"traceparent", "00-" + TP + "01", "tracestate", "foo=1,foo=2"}, continues("01", null), continues("01", null)));
        cases.add(new Case("tracestate-in-two-lines", "3.3.1.1, test_tracestate_multiple_headers_different_keys",
                new String[] {"traceparent", "00-" + TP + "01", "tracestate", "foo=1,bar=2", "tracestate", "rojo=1"},
                continues("01", "foo=1,bar=2,rojo=1"), continues("01", "foo=1,bar=2,rojo=1")));
        cases.add(new Case("not-sampled", "3.2.2.5.1, 3.3.1.1",
                new String[] {"traceparent", "00-" + TP + "00", "tracestate", "foo=1"}, UNTOUCHED, continues("00", "foo=1")));
        cases.add(new Case("no-context", "test_both_traceparent_and_tracestate_missing", new String[] {"tracestate", "foo=1"},
                UNTOUCHED, UNTOUCHED));
        return cases;
    }
}
