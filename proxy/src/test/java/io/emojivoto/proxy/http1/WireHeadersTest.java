package io.emojivoto.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;

import io.emojivoto.proxy.HopByHop;
import io.emojivoto.tracecontext.MalformedTraceHeaders;
import io.emojivoto.proxy.NettyTraceHeaders;
import io.emojivoto.tracecontext.TraceContextHeaders;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fields read in place ({@link WireHeaders}) behind Netty's header API: the proxy's hop-by-hop and
 * trace-context code sees the same answers from them as from Netty's own header map, and rewrites
 * them the same. Differential: each case is run on both.
 */
class WireHeadersTest {

    private static final String TRACE = "463ac35c9f6413ad48485a3953bb6124";
    private static final String SPAN = "a2fb4a1d1a96d312";

    private static HttpHeaders headers(String... pairs) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (int i = 0; i < pairs.length; i += 2) {
            h.add(pairs[i], pairs[i + 1]);
        }
        return h;
    }

    /** The same fields as HTTP/1.1 brings them: read where they lie in the head's bytes. */
    private static HttpHeaders wire(String... pairs) {
        StringBuilder head = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            head.append(pairs[i]).append(": ").append(pairs[i + 1]).append("\r\n");
        }
        return fields(head.toString());
    }

    /** Fields as the proxy's HTTP/1.1 decoder reads them, in place. */
    private static HttpHeaders fields(String fields) {
        byte[] head = ("GET / HTTP/1.1\r\n" + fields + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        Http1HeadParser parser = new Http1HeadParser(8192, 16384);
        parser.parseRequest(head, head.length);
        HttpHeaders h = parser.headers();
        assertThat(h).isInstanceOf(WireHeaders.class);
        return h;
    }

    @Test
    void http1_fields_where_they_lie_are_stripped_the_same() {
        HttpHeaders h = fields("Host: example\r\nConnection: keep-alive, X-Private\r\nconnection: X-Other ,\r\n"
                + "Keep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nTE: trailers, deflate\r\nUpgrade: h2c\r\n"
                + "Trailer: grpc-status\r\nProxy-Authorization: secret\r\nx-private: 1\r\nX-Other: 2\r\nx-b3-traceid: 463ac35c9f6413ad\r\n");
        HopByHop.strip(h, false);
        assertThat(h.names()).containsExactly("Host", "x-b3-traceid");
        HttpHeaders none = fields("host: a\r\naccept: */*\r\naccept: text/plain\r\n");
        HopByHop.strip(none, false);
        assertThat(none.getAll("accept")).containsExactly("*/*", "text/plain");
    }

    @Test
    void connection_cannot_name_the_fields_that_frame_or_route_a_request() {
        HttpHeaders h = fields("Host: a\r\nContent-Length: 5\r\nConnection: content-length, HOST, x-gone\r\nX-Gone: 1\r\n");
        HopByHop.strip(h, false);
        assertThat(h.names()).containsExactly("Host", "Content-Length");
    }

    @Test
    void connection_elements_are_read_in_place_around_whitespace_and_empty_elements() {
        HttpHeaders h = fields("Host: a\r\nConnection: ,\tX-One\t, ,x-TWO,keep-alive\r\nX-One: 1\r\nx-two: 2\r\nX-Two: 3\r\nX-Three: 4\r\n");
        HopByHop.strip(h, false);
        assertThat(h.names()).containsExactly("Host", "X-Three");
        HttpHeaders late = fields("Host: a\r\nConnection: x-late\r\n").add("X-Late", "set after it was read");
        HopByHop.strip(late, false);
        assertThat(late.names()).containsExactly("Host");
    }

    /** Fields as the proxy's HTTP/1.1 decoder reads them, in place. */
    private static HttpHeaders wire(String fields) {
        byte[] head = ("GET / HTTP/1.1\r\n" + fields + "\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Http1HeadParser parser = new Http1HeadParser(8192, 16384);
        parser.parseRequest(head, head.length);
        HttpHeaders h = parser.headers();
        assertThat(h).isInstanceOf(WireHeaders.class);
        return h;
    }
    @Test
    void fields_read_in_place_give_the_same_answers_and_are_rewritten_the_same() {
        List<String[]> cases = new ArrayList<>(MalformedTraceHeaders.asPairs());
        cases.add(new String[] {"X-B3-TraceId", TRACE, "X-B3-SpanId", SPAN, "X-B3-Sampled", "1", "b3", TRACE + "-" + SPAN + "-d",
            "traceparent", "00-" + TRACE + "-" + SPAN + "-03"});
        cases.addAll(MalformedTraceHeaders.invalidTracestates());
        cases.add(new String[] {"traceparent", "cc-" + TRACE + "-" + SPAN + "-09-future", "tracestate", "a=1", "tracestate", "b=2"});
        cases.add(new String[] {"b3", "0"});
        cases.add(new String[] {"accept", "*/*"});
        for (String[] pairs : cases) {
            HttpHeaders map = headers(pairs);
            HttpHeaders wire = wire(pairs);
            TraceContextHeaders.Parsed parsed = TraceContextHeaders.parse(NettyTraceHeaders.of(map));
            assertThat(TraceContextHeaders.parse(NettyTraceHeaders.of(wire))).as(String.join(" ", pairs)).isEqualTo(parsed);
            if (parsed instanceof TraceContextHeaders.Context context) {
                TraceContextHeaders.rewrite(NettyTraceHeaders.of(map), context, 0x1234L);
                TraceContextHeaders.rewrite(NettyTraceHeaders.of(wire), context, 0x1234L);
                for (String name : map.names()) {
                    assertThat(wire.getAll(name)).as(name).isEqualTo(map.getAll(name));
                }
            }
        }
    }
}
