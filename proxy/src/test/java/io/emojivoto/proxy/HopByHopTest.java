package io.emojivoto.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class HopByHopTest {

    private static HttpHeaders headers() {
        return new DefaultHttpHeaders()
                .add("Host", "example")
                .add("Connection", "keep-alive, X-Private")
                .add("connection", "X-Other ,")
                .add("Keep-Alive", "timeout=5")
                .add("Proxy-Connection", "keep-alive")
                .add("TE", "trailers, deflate")
                .add("Transfer-Encoding", "chunked")
                .add("Upgrade", "h2c")
                .add("Trailer", "grpc-status")
                .add("Proxy-Authorization", "secret")
                .add("x-private", "1")
                .add("X-Other", "2")
                .add("x-b3-traceid", "463ac35c9f6413ad");
    }

    @Test
    void removes_hop_by_hop_headers_and_those_connection_names_and_keeps_the_rest() {
        HttpHeaders h = headers();
        HopByHop.strip(h, false);
        assertThat(h.names()).containsExactlyInAnyOrder("Host", "x-b3-traceid");
        assertThat(h.get("host")).isEqualTo("example");
    }

    @Test
    void http1_fields_where_they_lie_are_stripped_the_same() {
        HttpHeaders h = wire("Host: example\r\nConnection: keep-alive, X-Private\r\nconnection: X-Other ,\r\n"
                + "Keep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nTE: trailers, deflate\r\nUpgrade: h2c\r\n"
                + "Trailer: grpc-status\r\nProxy-Authorization: secret\r\nx-private: 1\r\nX-Other: 2\r\nx-b3-traceid: 463ac35c9f6413ad\r\n");
        HopByHop.strip(h, false);
        assertThat(h.names()).containsExactly("Host", "x-b3-traceid");
        HttpHeaders none = wire("host: a\r\naccept: */*\r\naccept: text/plain\r\n");
        HopByHop.strip(none, false);
        assertThat(none.getAll("accept")).containsExactly("*/*", "text/plain");
    }

    @Test
    void connection_cannot_name_the_fields_that_frame_or_route_a_request() {
        for (HttpHeaders h : new HttpHeaders[] {
            new DefaultHttpHeaders().add("Host", "a").add("Content-Length", "5").add("Connection", "content-length, HOST, x-gone").add("X-Gone", "1"),
            wire("Host: a\r\nContent-Length: 5\r\nConnection: content-length, HOST, x-gone\r\nX-Gone: 1\r\n")}) {
            HopByHop.strip(h, false);
            assertThat(h.names()).containsExactly("Host", "Content-Length");
        }
    }

    @Test
    void connection_elements_are_read_in_place_around_whitespace_and_empty_elements() {
        HttpHeaders h = wire("Host: a\r\nConnection: ,\tX-One\t, ,x-TWO,keep-alive\r\nX-One: 1\r\nx-two: 2\r\nX-Two: 3\r\nX-Three: 4\r\n");
        HopByHop.strip(h, false);
        assertThat(h.names()).containsExactly("Host", "X-Three");
        HttpHeaders late = wire("Host: a\r\nConnection: x-late\r\n").add("X-Late", "set after it was read");
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
    void http2_keeps_te_trailers_only() {
        HttpHeaders h = headers();
        HopByHop.strip(h, true);
        assertThat(h.getAll("te")).containsExactly("trailers");
        HttpHeaders noTrailers = new DefaultHttpHeaders().add("te", "gzip");
        HopByHop.strip(noTrailers, true);
        assertThat(noTrailers.contains("te")).isFalse();
    }

    @Test
    void headers_without_any_are_left_as_they_are() {
        HttpHeaders h = new DefaultHttpHeaders().add("host", "a").add("accept", "*/*").add("accept", "text/plain");
        HopByHop.strip(h, false);
        assertThat(h.getAll("accept")).containsExactly("*/*", "text/plain");
        assertThat(h.size()).isEqualTo(3);
    }

    @Test
    void netty_http2_conversion_headers_go_and_long_names_stay() {
        HttpHeaders h = new DefaultHttpHeaders()
                .add("x-http2-stream-id", "3").add("X-HTTP2-Scheme", "http")
                .add("x-a-header-name-longer-than-any-hop-by-hop-one", "kept");
        HopByHop.strip(h, true);
        assertThat(h.names()).containsExactly("x-a-header-name-longer-than-any-hop-by-hop-one");
    }
}
