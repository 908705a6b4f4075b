package io.emojivoto.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.emojivoto.common.IncomingTraceHeaders.ForTheTracer;
import io.emojivoto.tracecontext.ListHeaders;
import io.emojivoto.tracecontext.MalformedTraceHeaders;
import io.emojivoto.tracecontext.W3cConformanceCases;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IncomingTraceHeadersTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";

    private static ForTheTracer seen(String... pairs) {
        return IncomingTraceHeaders.forTheTracer(ListHeaders.of(pairs)::getAll);
    }

    @Test
    void a_malformed_context_is_counted_and_hidden_from_the_tracer_whole() {
        for (String[] pairs : MalformedTraceHeaders.asPairs()) {
            ForTheTracer seen = seen(pairs);
            assertThat(seen.malformed()).as(String.join(" ", pairs)).isTrue();
            for (int i = 0; i < pairs.length; i += 2) {
                assertThat(seen.replacements()).as(String.join(" ", pairs)).containsEntry(pairs[i].toLowerCase(), null);
            }
        }
    }

    @Test
    void an_invalid_tracestate_is_counted_and_hidden_the_context_stands() {
        for (String[] pairs : MalformedTraceHeaders.invalidTracestates()) {
            ForTheTracer seen = seen(pairs);
            assertThat(seen.malformed()).as(pairs[3]).isTrue();
            assertThat(seen.replacements()).as(pairs[3]).isEqualTo(nulled("tracestate"));
        }
    }

    @Test
    void a_valid_context_goes_to_the_tracer_as_it_came() {
        assertThat(seen("traceparent", "00-" + TRACE + "-" + SPAN + "-01", "tracestate", "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"))
                .isEqualTo(new ForTheTracer(false, Map.of()));
        assertThat(seen("x-b3-traceid", TRACE, "x-b3-spanid", SPAN, "x-b3-sampled", "1")).isEqualTo(new ForTheTracer(false, Map.of()));
        assertThat(seen("accept", "*/*")).isEqualTo(new ForTheTracer(false, Map.of()));
    }

    @Test
    void the_tracer_gets_a_version_00_traceparent_with_the_sampled_flag_alone() {
        assertThat(seen("traceparent", "cc-" + TRACE + "-" + SPAN + "-01-what-the-future-will-be-like").replacements())
                .isEqualTo(Map.of("traceparent", "00-" + TRACE + "-" + SPAN + "-01"));
        assertThat(seen("traceparent", "00-" + TRACE + "-" + SPAN + "-03").replacements())
                .isEqualTo(Map.of("traceparent", "00-" + TRACE + "-" + SPAN + "-01"));
        assertThat(seen("traceparent", "00-" + TRACE + "-" + SPAN + "-02").replacements())
                .isEqualTo(Map.of("traceparent", "00-" + TRACE + "-" + SPAN + "-00"));
    }

    @Test
    void every_conformance_row_the_proxy_continues_reaches_the_tracer_as_version_00_and_no_other_row_reaches_it() {
        for (W3cConformanceCases.Case row : W3cConformanceCases.all()) {
            ListHeaders headers = ListHeaders.of(row.headers(TRACE, SPAN));
            ForTheTracer seen = IncomingTraceHeaders.forTheTracer(headers::getAll);
            String traceparent = seen.replacements().containsKey("traceparent") ? seen.replacements().get("traceparent")
                    : headers.get("traceparent");
            if (row.proxy().continues()) {
                assertThat(traceparent).as(row.id()).matches("00-" + TRACE + "-" + SPAN + "-0[01]");
            } else if (!row.id().equals("not-sampled") && !row.id().equals("no-context")) {
                assertThat(traceparent).as(row.id() + ": hidden").isNull();
            }
        }
    }

    private static Map<String, String> nulled(String name) {
        Map<String, String> map = new HashMap<>();
        map.put(name, null);
        return map;
    }
}
