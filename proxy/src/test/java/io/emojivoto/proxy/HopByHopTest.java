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
    void connection_cannot_name_the_fields_that_frame_or_route_a_request() {
        HttpHeaders h = new DefaultHttpHeaders().add("Host", "a").add("Content-Length", "5")
                .add("Connection", "content-length, HOST, x-gone").add("X-Gone", "1");
        HopByHop.strip(h, false);
        assertThat(h.names()).containsExactly("Host", "Content-Length");
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
