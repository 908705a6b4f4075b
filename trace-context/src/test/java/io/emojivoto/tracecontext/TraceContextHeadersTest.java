package io.emojivoto.tracecontext;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class TraceContextHeadersTest {

    private static final String TRACE = "463ac35c9f6413ad48485a3953bb6124";
    private static final String SPAN = "a2fb4a1d1a96d312";

    private static HttpHeaders headers(String... pairs) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (int i = 0; i < pairs.length; i += 2) {
            h.add(pairs[i], pairs[i + 1]);
        }
        return h;
    }



    @Test
    void every_generated_malformed_set_is_malformed() {
        for (String[] pairs : MalformedTraceHeaders.asPairs()) {
            assertThat(TraceContextHeaders.parse(headers(pairs))).as(String.join(" ", pairs))
                    .isInstanceOf(TraceContextHeaders.Malformed.class);
        }
    }

    @Test
    void no_trace_headers_or_a_bare_decision_is_absent() {
        assertThat(TraceContextHeaders.parse(headers())).isInstanceOf(TraceContextHeaders.Absent.class);
        assertThat(TraceContextHeaders.parse(headers("b3", "0"))).isInstanceOf(TraceContextHeaders.Absent.class);
        assertThat(TraceContextHeaders.parse(headers("x-b3-sampled", "0"))).isInstanceOf(TraceContextHeaders.Absent.class);
    }

    @Test
    void b3_multi_sampled_deferred_denied_and_debug() {
        var sampled = (TraceContextHeaders.Context) TraceContextHeaders.parse(headers("X-B3-TraceId", TRACE, "X-B3-SpanId", SPAN, "X-B3-Sampled", "1"));
        assertThat(sampled.isSampled()).isTrue();
        assertThat(sampled.traceIdHex()).isEqualTo(TRACE);
        assertThat(((TraceContextHeaders.Context) TraceContextHeaders.parse(headers("x-b3-traceid", TRACE, "x-b3-spanid", SPAN))).isSampled()).isFalse();
        assertThat(((TraceContextHeaders.Context) TraceContextHeaders.parse(headers("x-b3-traceid", TRACE, "x-b3-spanid", SPAN, "x-b3-sampled", "0"))).isSampled()).isFalse();
        assertThat(((TraceContextHeaders.Context) TraceContextHeaders.parse(headers("x-b3-traceid", TRACE, "x-b3-spanid", SPAN, "x-b3-flags", "1"))).isSampled()).isTrue();
        var shortId = (TraceContextHeaders.Context) TraceContextHeaders.parse(headers("x-b3-traceid", TRACE.substring(16), "x-b3-spanid", SPAN, "x-b3-sampled", "true"));
        assertThat(shortId.traceIdHex()).isEqualTo(TRACE.substring(16));
        assertThat(shortId.isSampled()).isTrue();
    }

    @Test
    void rewrites_each_format_it_came_in_with_the_incoming_span_as_parent() {
        HttpHeaders h = headers("x-b3-traceid", TRACE, "x-b3-spanid", SPAN, "x-b3-sampled", "1",
                "b3", TRACE + "-" + SPAN + "-d", "traceparent", "00-" + TRACE + "-" + SPAN + "-03");
        var context = (TraceContextHeaders.Context) TraceContextHeaders.parse(h);
        TraceContextHeaders.rewrite(h, context, 0x1234L);
        assertThat(h.get("x-b3-spanid")).isEqualTo("0000000000001234");
        assertThat(h.get("x-b3-parentspanid")).isEqualTo(SPAN);
        assertThat(h.get("x-b3-sampled")).isEqualTo("1");
        assertThat(h.get("b3")).isEqualTo(TRACE + "-0000000000001234-d-" + SPAN);
        assertThat(h.get("traceparent")).isEqualTo("00-" + TRACE + "-0000000000001234-03");
    }

    @Test
    void b3_single_in_each_of_its_shapes() {
        var withParent = (TraceContextHeaders.Context) TraceContextHeaders.parse(headers("B3", TRACE.substring(16) + "-" + SPAN + "-1-" + SPAN));
        assertThat(withParent.traceIdHex()).isEqualTo(TRACE.substring(16));
        assertThat(withParent.spanId()).isEqualTo(Long.parseUnsignedLong(SPAN, 16));
        assertThat(withParent.isSampled()).isTrue();
        assertThat(withParent.b3Single()).isTrue();
        var deferred = (TraceContextHeaders.Context) TraceContextHeaders.parse(headers("b3", TRACE + "-" + SPAN));
        assertThat(deferred.sampled()).isNull();
        assertThat(((TraceContextHeaders.Context) TraceContextHeaders.parse(headers("b3", TRACE + "-" + SPAN + "-d"))).debug()).isTrue();
        assertThat(TraceContextHeaders.parse(headers("b3", TRACE + "-" + SPAN + "-"))).isInstanceOf(TraceContextHeaders.Malformed.class);
        assertThat(TraceContextHeaders.parse(headers("b3", TRACE + "-" + SPAN + "-11"))).isInstanceOf(TraceContextHeaders.Malformed.class);
    }

    @Test
    void other_headers_of_the_same_length_are_not_trace_headers() {
        assertThat(TraceContextHeaders.parse(headers("ab", "1", "x-b3-flagz", "1", "x-b3-spanix", SPAN, "content-type", "x",
                "x-b3-parentspanix", SPAN))).isInstanceOf(TraceContextHeaders.Absent.class);
    }

    @Test
    void w3c_flags_decide_when_it_is_the_only_format() {
        assertThat(((TraceContextHeaders.Context) TraceContextHeaders.parse(headers("traceparent", "00-" + TRACE + "-" + SPAN + "-01"))).isSampled()).isTrue();
        assertThat(((TraceContextHeaders.Context) TraceContextHeaders.parse(headers("traceparent", "00-" + TRACE + "-" + SPAN + "-00"))).isSampled()).isFalse();
    }
}
