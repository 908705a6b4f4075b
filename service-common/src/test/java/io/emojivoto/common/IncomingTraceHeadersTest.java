package io.emojivoto.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.emojivoto.tracecontext.ListHeaders;
import io.emojivoto.tracecontext.MalformedTraceHeaders;
import io.emojivoto.tracecontext.W3cConformanceCases;
import java.util.List;
import org.junit.jupiter.api.Test;

class IncomingTraceHeadersTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";

    @Test
    void every_malformed_context_and_every_invalid_tracestate_is_counted_and_nothing_else() {
        for (String[] pairs : MalformedTraceHeaders.asPairs()) {
            assertThat(IncomingTraceHeaders.malformed(ListHeaders.of(pairs)::getAll)).as(String.join(" ", pairs)).isTrue();
        }
        for (String[] pairs : MalformedTraceHeaders.invalidTracestates()) {
            assertThat(IncomingTraceHeaders.malformed(ListHeaders.of(pairs)::getAll)).as(String.join(" ", pairs)).isTrue();
        }
        assertThat(IncomingTraceHeaders.malformed(ListHeaders.of("traceparent", "00-" + TRACE + "-" + SPAN + "-01",
                "tracestate", "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE")::getAll)).isFalse();
        assertThat(IncomingTraceHeaders.malformed(ListHeaders.of("accept", "*/*")::getAll)).isFalse();
    }

    @Test
    void the_tracer_gets_a_version_00_traceparent_with_the_sampled_flag_alone() {
        assertThat(IncomingTraceHeaders.strictTraceparent(List.of("cc-" + TRACE + "-" + SPAN + "-01-what-the-future-will-be-like")))
                .isEqualTo("00-" + TRACE + "-" + SPAN + "-01");
        assertThat(IncomingTraceHeaders.strictTraceparent(List.of("00-" + TRACE + "-" + SPAN + "-03"))).isEqualTo("00-" + TRACE + "-" + SPAN + "-01");
        assertThat(IncomingTraceHeaders.strictTraceparent(List.of("00-" + TRACE + "-" + SPAN + "-02"))).isEqualTo("00-" + TRACE + "-" + SPAN + "-00");
    }

    @Test
    void one_it_reads_as_it_is_an_invalid_one_or_two_are_left_as_they_came() {
        assertThat(IncomingTraceHeaders.strictTraceparent(List.of("00-" + TRACE + "-" + SPAN + "-01"))).isNull();
        assertThat(IncomingTraceHeaders.strictTraceparent(List.of("ff-" + TRACE + "-" + SPAN + "-01"))).isNull();
        assertThat(IncomingTraceHeaders.strictTraceparent(List.of())).isNull();
        assertThat(IncomingTraceHeaders.strictTraceparent(List.of("cc-" + TRACE + "-" + SPAN + "-01", "cc-" + TRACE + "-" + SPAN + "-01")))
                .isNull();
    }

    @Test
    void every_conformance_row_the_proxy_continues_reaches_the_tracer_as_version_00() {
        for (W3cConformanceCases.Case row : W3cConformanceCases.all()) {
            List<String> traceparents = ListHeaders.of(row.headers(TRACE, SPAN)).getAll("traceparent");
            String strict = IncomingTraceHeaders.strictTraceparent(traceparents);
            String reaches = strict != null ? strict : traceparents.isEmpty() ? null : traceparents.get(0);
            if (row.proxy().continues()) {
                assertThat(reaches).as(row.id()).matches("00-" + TRACE + "-" + SPAN + "-0[01]");
            }
        }
    }
}
