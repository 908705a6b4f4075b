package io.emojivoto.tracecontext;

import static org.assertj.core.api.Assertions.assertThat;

import io.emojivoto.tracecontext.TraceContextHeaders.Absent;
import io.emojivoto.tracecontext.TraceContextHeaders.Context;
import io.emojivoto.tracecontext.TraceContextHeaders.Malformed;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dispatcher: which format wins, and what a rewrite forwards. Each format's own rules are in its reader's test. */
class TraceContextHeadersTest {

    private static final String TRACE = "463ac35c9f6413ad48485a3953bb6124";
    private static final String SPAN = "a2fb4a1d1a96d312";
    private static final String NEW_SPAN = "0000000000001234";

    private static Context context(ListHeaders headers) {
        return (Context) TraceContextHeaders.parse(headers);
    }

    @Test
    void every_generated_malformed_set_is_malformed() {
        for (String[] pairs : MalformedTraceHeaders.asPairs()) {
            assertThat(TraceContextHeaders.parse(ListHeaders.of(pairs))).as(String.join(" ", pairs)).isInstanceOf(Malformed.class);
        }
    }

    @Test
    void no_trace_headers_or_a_bare_decision_is_absent() {
        assertThat(TraceContextHeaders.parse(ListHeaders.of())).isInstanceOf(Absent.class);
        assertThat(TraceContextHeaders.parse(ListHeaders.of("b3", "0"))).isInstanceOf(Absent.class);
        assertThat(TraceContextHeaders.parse(ListHeaders.of("x-b3-sampled", "0"))).isInstanceOf(Absent.class);
        assertThat(TraceContextHeaders.parse(ListHeaders.of("tracestate", "foo=1"))).as("a list without its traceparent")
                .isInstanceOf(Absent.class);
    }

    @Test
    void other_headers_of_similar_names_are_not_trace_headers() {
        assertThat(TraceContextHeaders.parse(ListHeaders.of("ab", "1", "x-b3-flagz", "1", "x-b3-spanix", SPAN, "content-type", "x",
                "x-b3-parentspanix", SPAN, "trace-parent", "00-" + TRACE + "-" + SPAN + "-01"))).isInstanceOf(Absent.class);
    }

    @Test
    void header_names_match_in_any_case() {
        assertThat(context(ListHeaders.of("TrAcEpArEnT", "00-" + TRACE + "-" + SPAN + "-01")).traceIdHex()).isEqualTo(TRACE);
        assertThat(context(ListHeaders.of("X-B3-TraceId", TRACE, "X-B3-SpanId", SPAN)).traceIdHex()).isEqualTo(TRACE);
    }

    @Test
    void b3_single_wins_over_multi_and_w3c_and_its_decision_over_theirs() {
        String other = "0af7651916cd43dd8448eb211c80319c";
        Context c = context(ListHeaders.of("b3", TRACE + "-" + SPAN + "-0", "x-b3-traceid", other, "x-b3-spanid", SPAN,
                "x-b3-sampled", "1", "traceparent", "00-" + other + "-" + SPAN + "-01"));
        assertThat(c.traceIdHex()).isEqualTo(TRACE);
        assertThat(c.isSampled()).isFalse();
        assertThat(c.b3Single()).isTrue();
        assertThat(c.b3Multi()).as("another trace: not rewritten").isFalse();
        assertThat(c.w3c()).isFalse();
    }

    @Test
    void w3c_flags_decide_only_when_no_b3_decision_came() {
        assertThat(context(ListHeaders.of("traceparent", "00-" + TRACE + "-" + SPAN + "-01")).isSampled()).isTrue();
        assertThat(context(ListHeaders.of("traceparent", "00-" + TRACE + "-" + SPAN + "-00")).isSampled()).isFalse();
        assertThat(context(ListHeaders.of("traceparent", "00-" + TRACE + "-" + SPAN + "-00", "x-b3-sampled", "1")).isSampled())
                .as("B3's decision first, as Brave reads them").isTrue();
    }

    @Test
    void rewrites_each_format_it_came_in_with_the_incoming_span_as_parent() {
        ListHeaders h = ListHeaders.of("x-b3-traceid", TRACE, "x-b3-spanid", SPAN, "x-b3-sampled", "1",
                "b3", TRACE + "-" + SPAN + "-d", "traceparent", "00-" + TRACE + "-" + SPAN + "-03");
        TraceContextHeaders.rewrite(h, context(h), 0x1234L);
        assertThat(h.get("x-b3-spanid")).isEqualTo(NEW_SPAN);
        assertThat(h.get("x-b3-parentspanid")).isEqualTo(SPAN);
        assertThat(h.get("x-b3-sampled")).isEqualTo("1");
        assertThat(h.get("b3")).isEqualTo(TRACE + "-" + NEW_SPAN + "-d-" + SPAN);
        assertThat(h.get("traceparent")).isEqualTo("00-" + TRACE + "-" + NEW_SPAN + "-03");
    }

    @Test
    void a_64_bit_b3_trace_id_goes_on_in_traceparent_widened_to_128_bits() {
        String trace64 = TRACE.substring(16);
        ListHeaders h = ListHeaders.of("b3", trace64 + "-" + SPAN + "-1", "traceparent", "00-" + "0".repeat(16) + trace64 + "-" + SPAN + "-01");
        Context c = context(h);
        assertThat(c.w3c()).as("the same trace, in both").isTrue();
        TraceContextHeaders.rewrite(h, c, 0x1234L);
        assertThat(h.get("traceparent")).isEqualTo("00-" + "0".repeat(16) + trace64 + "-" + NEW_SPAN + "-01");
    }

    // The W3C rows of docs/proxy.md's conformance table, as the dispatcher sees them.

    @Test
    void a_future_version_is_read_and_forwarded_as_version_00_without_its_extra_fields() {
        for (String future : new String[] {"cc-" + TRACE + "-" + SPAN + "-01", "cc-" + TRACE + "-" + SPAN + "-01-what-the-future-will-be-like"}) {
            ListHeaders h = ListHeaders.of("traceparent", future);
            Context c = context(h);
            assertThat(c.isSampled()).as(future).isTrue();
            TraceContextHeaders.rewrite(h, c, 0x1234L);
            assertThat(h.get("traceparent")).as(future).isEqualTo("00-" + TRACE + "-" + NEW_SPAN + "-01");
        }
    }

    @Test
    void reserved_flag_bits_are_not_forwarded_the_sampled_and_random_bits_are() {
        for (String[] inOut : new String[][] {{"09", "01"}, {"ff", "03"}, {"03", "03"}, {"02", "02"}, {"fd", "01"}}) {
            ListHeaders h = ListHeaders.of("traceparent", "00-" + TRACE + "-" + SPAN + "-" + inOut[0]);
            Context c = context(h);
            TraceContextHeaders.rewrite(h, c, 0x1234L);
            assertThat(h.get("traceparent")).as(inOut[0]).isEqualTo("00-" + TRACE + "-" + NEW_SPAN + "-" + inOut[1]);
        }
    }

    @Test
    void an_invalid_tracestate_leaves_the_context_standing_and_is_not_forwarded() {
        for (String[] pairs : MalformedTraceHeaders.invalidTracestates()) {
            ListHeaders h = ListHeaders.of(pairs);
            Context c = context(h);
            assertThat(c.isSampled()).as(pairs[3]).isTrue();
            assertThat(c.badTracestate()).as(pairs[3]).isNotNull();
            TraceContextHeaders.rewrite(h, c, 0x1234L);
            assertThat(h.getAll("tracestate")).as(pairs[3]).isEmpty();
            assertThat(h.get("traceparent")).isEqualTo("00-" + TRACE + "-" + NEW_SPAN + "-01");
        }
    }

    @Test
    void a_valid_tracestate_goes_on_unchanged_32_members_or_over_512_characters() {
        String members32 = String.join(",", java.util.stream.IntStream.range(0, 32).mapToObj(i -> "v" + i + "=1").toList());
        String long600 = "a=" + "x".repeat(256) + ",b=" + "y".repeat(256) + ",c=" + "z".repeat(80);
        for (String state : new String[] {members32, long600}) {
            ListHeaders h = ListHeaders.of("traceparent", "00-" + TRACE + "-" + SPAN + "-01", "tracestate", state);
            Context c = context(h);
            assertThat(c.badTracestate()).isNull();
            TraceContextHeaders.rewrite(h, c, 0x1234L);
            assertThat(h.getAll("tracestate")).containsExactly(state);
        }
    }

    @Test
    void a_tracestate_is_only_judged_beside_the_traceparent_it_belongs_to() {
        Context c = context(ListHeaders.of("x-b3-traceid", TRACE, "x-b3-spanid", SPAN, "tracestate", "FOO=1"));
        assertThat(c.badTracestate()).as("no traceparent: the list is not this context's").isNull();
    }

    @Test
    void every_row_of_the_conformance_table_as_the_proxy_reads_and_rewrites_it() {
        for (W3cConformanceCases.Case row : W3cConformanceCases.all()) {
            ListHeaders h = ListHeaders.of(row.headers(TRACE, SPAN));
            TraceContextHeaders.Parsed parsed = TraceContextHeaders.parse(h);
            boolean takesPart = parsed instanceof Context c && c.isSampled();
            assertThat(takesPart).as(row.id()).isEqualTo(row.proxy().continues());
            if (takesPart) {
                TraceContextHeaders.rewrite(h, (Context) parsed, 0x1234L);
                assertThat(h.get("traceparent")).as(row.id()).isEqualTo("00-" + TRACE + "-" + NEW_SPAN + "-" + row.proxy().flags());
                List<String> state = h.getAll("tracestate");
                assertThat(state.isEmpty() ? null : String.join(",", state)).as(row.id()).isEqualTo(row.proxy().tracestate());
            }
        }
    }
}
