package io.emojivoto.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emojivoto.proxy.HopByHop;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The proxy's HTTP/1.1 decoder, on its own: what it refuses (the request-smuggling corpus and
 * other malformed heads), what it reads, that no split of the bytes into reads changes what it
 * reads, and, against Netty's own decoder on generated and mutated requests, that it never
 * accepts what Netty refuses nor reads anything differently.
 */
class Http1DecoderTest {

    private static final String GET = "GET /a?b=c HTTP/1.1\r\nHost: svc\r\n";

    /** Each is refused with a failed request, and nothing after it is read as a request. */
    @ParameterizedTest
    @ValueSource(strings = {
        // framing two parsers could read two ways (CL.TE, TE.CL, obfuscated TE, duplicates)
        GET + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
        GET + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
        GET + "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n",
        GET + "Transfer-Encoding: xchunked\r\n\r\n",
        GET + "Transfer-Encoding: chunked, identity\r\n\r\n",
        GET + "Transfer-Encoding: identity, chunked\r\n\r\n",
        GET + "Transfer-Encoding: \u000bchunked\r\n\r\n",
        GET + "Transfer-Encoding : chunked\r\n\r\n",
        GET + "Transfer-Encoding\t: chunked\r\n\r\n",
        GET + " Transfer-Encoding: chunked\r\n\r\n",
        GET + "X-A: a\r\n Transfer-Encoding: chunked\r\n\r\n",
        GET + "X-A: a\r\n\tfolded\r\n\r\n",
        GET + "Content-Length: 5\r\nContent-Length: 5\r\n\r\n",
        GET + "Content-Length: 5\r\nContent-length: 6\r\n\r\n",
        GET + "Content-Length: 5, 5\r\n\r\n",
        GET + "Content-Length: +5\r\n\r\n",
        GET + "Content-Length: -1\r\n\r\n",
        GET + "Content-Length: 0x5\r\n\r\n",
        GET + "Content-Length: 5 5\r\n\r\n",
        GET + "Content-Length: 99999999999999999999\r\n\r\n",
        GET + "Content-Length:\r\n\r\n",
        "POST / HTTP/1.0\r\nHost: svc\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        // line ends other than CRLF
        "GET / HTTP/1.1\nHost: svc\n\n",
        GET + "X-A: a\nX-B: b\r\n\r\n",
        GET + "X-A: a\rX-B: b\r\n\r\n",
        GET + "X-A: a\r\n\n",
        // request lines
        "GET  / HTTP/1.1\r\nHost: svc\r\n\r\n",
        "GET / HTTP/1.1 \r\nHost: svc\r\n\r\n",
        "GET /\t HTTP/1.1\r\nHost: svc\r\n\r\n",
        "GET /a b HTTP/1.1\r\nHost: svc\r\n\r\n",
        "GET /caf\u00e9 HTTP/1.1\r\nHost: svc\r\n\r\n",
        "GET / http/1.1\r\nHost: svc\r\n\r\n",
        "GET / HTTP/2.0\r\nHost: svc\r\n\r\n",
        "GET / HTTP/1.1x\r\nHost: svc\r\n\r\n",
        "G(T / HTTP/1.1\r\nHost: svc\r\n\r\n",
        " GET / HTTP/1.1\r\nHost: svc\r\n\r\n",
        "this is not http\r\n\r\n",
        // fields
        GET + "Host: other\r\n\r\n",
        GET + ": no-name\r\n\r\n",
        GET + "X(A): a\r\n\r\n",
        GET + "X-A: a\u0000b\r\n\r\n",
        GET + "X-A: a\u007fb\r\n\r\n",
        GET + "X-A: a\u001bb\r\n\r\n",
        GET + "X-A\r\n\r\n",
    })
    void malformed_heads_and_smuggling_attempts_are_refused(String raw) {
        EmbeddedChannel channel = server();
        channel.writeInbound(bytes(raw + "GET /smuggled HTTP/1.1\r\nHost: svc\r\n\r\n"));
        List<Object> read = drain(channel);
        assertThat(read).isNotEmpty();
        assertThat(((DecoderResultProvider) read.get(0)).decoderResult().isFailure()).as(escape(raw)).isTrue();
        assertThat(read).hasSize(1); // nothing of what followed was read as a request
        channel.finishAndReleaseAll();
    }

    @Test
    void every_byte_is_judged_the_same_wherever_it_lies_in_a_value() {
        // Values are scanned eight bytes at a time: each byte value, at each position of a 24-byte value
        // (next to obs-text, whose high bit could hide a neighbour's borrow), is taken or refused as the
        // grammar says: visible characters, space, tab and obs-text are field-vchar; any other control is not.
        for (int b = 0; b < 256; b++) {
            boolean allowed = b == '\t' || b == ' ' || (b > 0x20 && b != 0x7f);
            for (int at = 0; at < 24; at++) {
                char[] value = "ab\u00ff\u0080cdefgh\u00e9ijklmnop\u0090qrstu".toCharArray();
                value[at] = (char) b;
                if ((b == ' ' || b == '\t') && (at == 0 || at == 23)) {
                    continue; // whitespace around a value is not part of it: read elsewhere
                }
                EmbeddedChannel channel = server();
                channel.writeInbound(bytes(GET + "X-V: " + new String(value) + "\r\n\r\n"));
                List<Object> read = drain(channel);
                boolean taken = !((DecoderResultProvider) read.get(0)).decoderResult().isFailure();
                assertThat(taken).as("byte 0x%02x at %d", b, at).isEqualTo(allowed);
                if (taken) {
                    assertThat(((HttpRequest) read.get(0)).headers().get("x-v")).isEqualTo(new String(value));
                }
                channel.finishAndReleaseAll();
            }
        }
    }

    @Test
    void a_head_over_the_limits_is_refused_with_the_limit_it_broke() {
        assertThat(failure(server(), "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: svc\r\n\r\n")).isInstanceOf(TooLongHttpLineException.class);
        assertThat(failure(server(), "GET /" + "a".repeat(20_000))).isInstanceOf(TooLongHttpLineException.class);
        assertThat(failure(server(), GET + "X-Big: " + "b".repeat(20_000) + "\r\n\r\n")).isInstanceOf(TooLongHttpHeaderException.class);
        assertThat(failure(server(), GET + "X-Big: " + "b".repeat(20_000))).isInstanceOf(TooLongHttpHeaderException.class);
    }

    @Test
    void fields_are_read_where_they_lie_with_their_surrounding_whitespace_dropped() {
        EmbeddedChannel channel = server();
        channel.writeInbound(bytes("\r\n\r\nPOST /p HTTP/1.1\r\nHost: svc\r\nX-Empty:\r\nx-multi: a\r\nX-Padded: \t v a l \t \r\n"
                + "X-Latin: caf\u00e9\r\nX-MULTI: b\r\ncontent-LENGTH: 3\r\n\r\nabc"));
        List<Object> read = drain(channel);
        HttpRequest request = (HttpRequest) read.get(0);
        assertThat(request.method()).isSameAs(HttpMethod.POST);
        assertThat(request.uri()).isEqualTo("/p");
        assertThat(request.protocolVersion()).isSameAs(HttpVersion.HTTP_1_1);
        HttpHeaders headers = request.headers();
        assertThat(headers).isInstanceOf(WireHeaders.class);
        assertThat(headers.get("host")).isEqualTo("svc");
        assertThat(headers.get("x-empty")).isEmpty();
        assertThat(headers.getAll("X-Multi")).containsExactly("a", "b");
        assertThat(headers.get("x-padded")).isEqualTo("v a l");
        assertThat(headers.get("x-latin")).isEqualTo("caf\u00e9");
        assertThat(headers.getInt("content-length")).isEqualTo(3);
        assertThat(headers.contains("X-Absent")).isFalse();
        assertThat(headers.names()).containsExactly("Host", "X-Empty", "x-multi", "X-Padded", "X-Latin", "X-MULTI", "content-LENGTH");
        assertThat(transcript(read)).isEqualTo(transcript(netty(
                "POST /p HTTP/1.1\r\nHost: svc\r\nX-Empty:\r\nx-multi: a\r\nX-Padded: \t v a l \t \r\n"
                + "X-Latin: caf\u00e9\r\nX-MULTI: b\r\ncontent-LENGTH: 3\r\n\r\nabc")));
        channel.finishAndReleaseAll();
    }

    @Test
    void fields_removed_and_set_are_written_as_the_rest_of_the_bytes_that_came() {
        String head = "GET / HTTP/1.1\r\nHost: svc\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\nX-Keep: k\r\n"
                + "x-b3-spanid: a2fb4a1d1a96d312\r\nX-Last: l\r\n\r\n";
        EmbeddedChannel in = server();
        in.writeInbound(bytes(head));
        HttpRequest request = (HttpRequest) drain(in).get(0);
        HopByHop.strip(request.headers(), false);
        request.headers().set("X-B3-SpanId", "0000000000000001");
        EmbeddedChannel out = new EmbeddedChannel(Http1Codecs.client(8192, 16384));
        out.writeOutbound(request); // a full message: a GET's empty body came with it
        assertThat(written(out)).isEqualTo(
                "GET / HTTP/1.1\r\nHost: svc\r\nX-Keep: k\r\nX-Last: l\r\nX-B3-SpanId: 0000000000000001\r\n\r\n");
        in.finishAndReleaseAll();
        out.finishAndReleaseAll();
    }

    @Test
    void a_start_line_goes_out_as_it_came_until_a_part_of_it_is_changed() {
        // "HTTP/1.1 200" without a reason phrase is valid; Netty's encoder would write "HTTP/1.1 200 " for it.
        for (boolean changed : new boolean[] {false, true}) {
            EmbeddedChannel upstream = new EmbeddedChannel(Http1Codecs.client(8192, 16384));
            upstream.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
            upstream.writeInbound(bytes("HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok"));
            HttpResponse response = (HttpResponse) drain(upstream).get(0);
            if (changed) {
                response.setStatus(HttpResponseStatus.CREATED);
            }
            EmbeddedChannel client = server();
            client.writeInbound(bytes("GET / HTTP/1.1\r\nHost: svc\r\n\r\n")); // the request it answers
            client.writeOutbound(response);
            assertThat(written(client)).isEqualTo(
                    (changed ? "HTTP/1.1 201 Created" : "HTTP/1.1 200") + "\r\nContent-Length: 2\r\n\r\nok");
            upstream.finishAndReleaseAll();
            client.finishAndReleaseAll();
        }
    }

    @Test
    void a_whole_message_is_relayed_as_views_of_the_bytes_read_without_the_fields_removed() {
        ByteBuf read = Unpooled.directBuffer().writeBytes(("POST /p HTTP/1.1\r\nHost: svc\r\nConnection: keep-alive, X-Hop\r\n"
                + "X-Keep: k\r\nX-Hop: 1\r\nContent-Length: 3\r\n\r\nabc").getBytes(StandardCharsets.ISO_8859_1));
        read.retain(); // held here, to see that the relay gives back all it took
        EmbeddedChannel client = server();
        client.writeInbound(read);
        HttpRequest request = (HttpRequest) drain(client).get(0);
        HopByHop.strip(request.headers(), false);
        EmbeddedChannel upstream = new EmbeddedChannel(Http1Codecs.client(8192, 16384));
        upstream.writeOneOutbound(request, upstream.voidPromise()); // as the exchange writes it
        upstream.flushOutbound();
        StringBuilder written = new StringBuilder();
        for (Object o; (o = upstream.readOutbound()) != null; ) {
            assertThat(((ByteBuf) o).unwrap()).as("a view of the buffer read, not a copy").isNotNull();
            written.append(((ByteBuf) o).toString(StandardCharsets.ISO_8859_1));
            ReferenceCountUtil.release(o);
        }
        assertThat(written.toString()).isEqualTo("POST /p HTTP/1.1\r\nHost: svc\r\nX-Keep: k\r\nContent-Length: 3\r\n\r\nabc");
        assertThat(read.refCnt()).as("only the test's own reference is left").isEqualTo(1);
        read.release();
        client.finishAndReleaseAll();
        upstream.finishAndReleaseAll();
    }

    @Test
    void a_message_changed_beyond_removals_or_written_with_a_listener_goes_through_nettys_encoder() {
        String raw = "GET / HTTP/1.1\r\nHost: svc\r\nX-B3-SpanId: a2fb4a1d1a96d312\r\n\r\n";
        for (String change : new String[] {"set", "uri", "listener"}) {
            ByteBuf read = bytes(raw).retain(); // held here, to see whether what is written still refers to it
            EmbeddedChannel client = server();
            client.writeInbound(read);
            HttpRequest request = (HttpRequest) drain(client).get(0);
            switch (change) {
                case "set" -> request.headers().set("X-B3-SpanId", "0000000000000001");
                case "uri" -> request.setUri("/other");
                default -> { }
            }
            EmbeddedChannel upstream = new EmbeddedChannel(Http1Codecs.client(8192, 16384));
            upstream.writeOneOutbound(request, change.equals("listener") ? upstream.newPromise() : upstream.voidPromise());
            upstream.flushOutbound();
            ByteBuf out = upstream.readOutbound();
            // Encoded afresh, not relayed as views: nothing written holds the buffer read any more. (Not
            // out.unwrap() == null: Netty's leak detector, when it samples a buffer, wraps it.)
            assertThat(read.refCnt()).as(change + ": one buffer of its own, the bytes read let go").isEqualTo(1);
            assertThat(out.toString(StandardCharsets.ISO_8859_1)).as(change).isEqualTo(switch (change) {
                case "set" -> "GET / HTTP/1.1\r\nHost: svc\r\nX-B3-SpanId: 0000000000000001\r\n\r\n";
                case "uri" -> "GET /other HTTP/1.1\r\nHost: svc\r\nX-B3-SpanId: a2fb4a1d1a96d312\r\n\r\n";
                default -> raw;
            });
            out.release();
            read.release();
            assertThat((Object) upstream.readOutbound()).isNull();
            client.finishAndReleaseAll();
            upstream.finishAndReleaseAll();
        }
    }

    @Test
    void a_response_relayed_as_read_takes_its_requests_method_so_the_next_is_framed_by_its_own() {
        // A HEAD and then a GET. The HEAD's response is relayed as read; the GET's goes through Netty's encoder
        // (it is written with a listener), which frames it by the method it takes next: the GET's, or it would drop the body.
        EmbeddedChannel client = clientThatAsked("HEAD / HTTP/1.1\r\nHost: svc\r\n\r\nGET / HTTP/1.1\r\nHost: svc\r\n\r\n");
        List<Object> responses = upstreamAnswers("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
                HttpMethod.HEAD, HttpMethod.GET);
        assertThat(responses).hasSize(2);
        client.writeOneOutbound(responses.get(0), client.voidPromise());
        client.writeOneOutbound(responses.get(1), client.newPromise());
        client.flushOutbound();
        assertThat(written(client)).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        client.finishAndReleaseAll();
    }

    @Test
    void a_response_whose_framing_nettys_encoder_reframes_goes_through_it() {
        EmbeddedChannel client = clientThatAsked("GET / HTTP/1.1\r\nHost: svc\r\n\r\n");
        Object response = upstreamAnswers("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nX-Keep: k\r\n\r\n", HttpMethod.GET).get(0);
        client.writeOneOutbound(response, client.voidPromise());
        client.flushOutbound();
        assertThat(written(client)).as("a 204 has no Content-Length (RFC 9110 §8.6)")
                .isEqualTo("HTTP/1.1 204 No Content\r\nX-Keep: k\r\n\r\n");
        client.finishAndReleaseAll();
    }

    /** Several requests, with fixed, chunked (extensions, trailers) and no bodies, pipelined. */
    private static final String PIPELINE = "GET /1 HTTP/1.1\r\nHost: svc\r\n\r\n"
            + "POST /2 HTTP/1.1\r\nHost: svc\r\nContent-Length: 11\r\n\r\nhello world"
            + "PUT /3 HTTP/1.1\r\nHost: svc\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=value\r\nhello\r\n1a\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Checksum: 42\r\n\r\n"
            + "POST /4 HTTP/1.1\r\nHost: svc\r\nTransfer-Encoding: Chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
            + "\r\nHEAD /5 HTTP/1.0\r\nHost: svc\r\nContent-Length: 0\r\n\r\n";

    @Test
    void every_split_of_the_bytes_into_reads_decodes_the_same() {
        String whole = transcript(decode(PIPELINE));
        assertThat(whole).isEqualTo(transcript(netty(PIPELINE)));
        assertThat(whole).contains("[POST /2 HTTP/1.1").contains("hello world[END]").contains("abcdefghijklmnopqrstuvwxyz[END X-Checksum=42]");
        List<Object> read = decode(PIPELINE);
        assertThat(read.get(0)).as("a GET is one full message").isInstanceOf(io.netty.handler.codec.http.FullHttpRequest.class);
        assertThat(read.get(1)).as("so is a POST whose body came with it").isInstanceOf(io.netty.handler.codec.http.FullHttpRequest.class);
        for (int split = 1; split < PIPELINE.length(); split++) {
            assertThat(transcript(decode(PIPELINE.substring(0, split), PIPELINE.substring(split)))).as("split at %d", split).isEqualTo(whole);
        }
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            List<String> pieces = new ArrayList<>();
            for (int at = 0; at < PIPELINE.length(); ) {
                int next = Math.min(PIPELINE.length(), at + 1 + random.nextInt(12));
                pieces.add(PIPELINE.substring(at, next));
                at = next;
            }
            assertThat(transcript(decode(pieces.toArray(String[]::new)))).isEqualTo(whole);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"5\r\nhelloX\r\n0\r\n\r\n", "5\nhello\r\n0\r\n\r\n", "g\r\n", "\r\n", "ffffffffffffffff1\r\n",
        "5;\u0000\r\nhello\r\n", "0\r\nX: a\nY: b\r\n\r\n", "0\r\nBad Name: b\r\n\r\n"})
    void a_malformed_chunked_body_fails_its_request(String body) {
        EmbeddedChannel channel = server();
        channel.writeInbound(bytes("POST / HTTP/1.1\r\nHost: svc\r\nTransfer-Encoding: chunked\r\n\r\n" + body + "GET / HTTP/1.1\r\n\r\n"));
        List<Object> read = drain(channel);
        Object last = read.get(read.size() - 1);
        assertThat(last).isInstanceOf(LastHttpContent.class);
        assertThat(((LastHttpContent) last).decoderResult().isFailure()).as(escape(body)).isTrue();
        channel.finishAndReleaseAll();
    }

    @Test
    void responses_are_framed_by_the_request_they_answer_and_their_status_and_interim_ones_dropped() {
        EmbeddedChannel channel = new EmbeddedChannel(Http1Codecs.client(8192, 16384));
        for (String method : new String[] {"HEAD", "GET", "GET", "GET", "GET"}) {
            channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), "/"));
        }
        channel.releaseOutbound();
        channel.writeInbound(bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n" // HEAD: no body, whatever the length says
                + "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n" // dropped: interim
                + "HTTP/1.1 204 No Content\r\n\r\n"
                + "HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n"
                + "HTTP/1.1 200 Fine\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"
                + "HTTP/1.0 200\r\n\r\nuntil the end"));
        channel.finish();
        String transcript = transcript(drain(channel));
        assertThat(transcript).isEqualTo("[200 OK HTTP/1.1 {Content-Length=5}][END]"
                + "[204 No Content HTTP/1.1 {}][END]"
                + "[304 Not Modified HTTP/1.1 {Content-Length=9}][END]"
                + "[200 Fine HTTP/1.1 {Transfer-Encoding=chunked}]ok[END]"
                + "[200  HTTP/1.0 {}]until the end[END]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.1 200 OK\nContent-Length: 0\n\n", "HTTP/1.1 2000 OK\r\n\r\n", "HTTP/1.1 099 No\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n", "HTTP/1.1 200 OK\r\nX: \u0000\r\n\r\n", "SSH-2.0-OpenSSH\r\n\r\n"})
    void a_malformed_response_is_an_error_on_the_upstream_connection(String raw) {
        EmbeddedChannel channel = new EmbeddedChannel(Http1Codecs.client(8192, 16384));
        channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
        channel.releaseOutbound();
        assertThatThrownBy(() -> channel.writeInbound(bytes(raw))).isInstanceOf(DecoderException.class);
        channel.finishAndReleaseAll();
    }

    /**
     * Generated requests, valid and then mutated a byte or a snippet at a time, decoded by ours and
     * by Netty's decoder: whatever ours reads, Netty reads the same way; where ours refuses, what it
     * read before is what Netty read. Valid ones are never refused.
     */
    @Test
    void against_netty_it_reads_the_same_and_never_accepts_what_netty_refuses() {
        // More, or other, cases: -Dhttp1.fuzz.cases=1000000 -Dhttp1.fuzz.seed=…
        int cases = Integer.getInteger("http1.fuzz.cases", 3000);
        Random random = new Random(Long.getLong("http1.fuzz.seed", 20261201));
        int refusedByUsOnly = 0;
        for (int i = 0; i < cases; i++) {
            String valid = generate(random);
            String ours = transcript(decode(valid));
            assertThat(ours).as(escape(valid)).doesNotContain("[FAIL").isEqualTo(transcript(netty(valid)));
            String mutated = mutate(valid, random);
            ours = transcript(decode(mutated));
            String theirs = transcript(netty(mutated));
            int failed = ours.indexOf("[FAIL");
            if (failed < 0 && theirs.equals(ours + "[FAIL]")) {
                // Netty refused a line of a head that has not ended yet; we refuse it once it has.
                assertThat(transcript(decode(mutated + "\r\n\r\n"))).as("refused at its end: %s", escape(mutated)).endsWith("[FAIL]");
            } else if (failed < 0) {
                assertThat(ours).as("accepted by us: %s", escape(mutated)).isEqualTo(theirs);
            } else {
                assertThat(theirs).as("refused by us: %s", escape(mutated)).startsWith(ours.substring(0, failed));
                if (!theirs.substring(failed).startsWith("[FAIL")) {
                    refusedByUsOnly++;
                }
            }
        }
        assertThat(refusedByUsOnly).as("mutations only we refuse: some (we are stricter), not all").isBetween(1, cases - 1);
    }

    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "X-CUSTOM"};
    private static final String[] SNIPPETS = {"\r\n", "\n", "\r", " ", "\t", ":", ",", ";", "0", "5", "a", "\u0000", "\u000b",
        "\u007f", "\u0080", "\u00ff", "\"", "Content-Length: 3\r\n", "Transfer-Encoding: chunked\r\n", " chunked", "\r\n\r\n",
        "Host: b\r\n", "0\r\n\r\n", "HTTP/1.1", "\r\n "};

    private static String generate(Random random) {
        StringBuilder s = new StringBuilder();
        for (int n = 1 + random.nextInt(2); n > 0; n--) {
            String method = METHODS[random.nextInt(METHODS.length)];
            s.append(method).append(" /p").append(random.nextInt(100)).append(random.nextBoolean() ? "?q=1&r=%20" : "")
                    .append(random.nextInt(4) == 0 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n").append("Host: svc\r\n");
            for (int f = random.nextInt(5); f > 0; f--) {
                s.append(random.nextBoolean() ? "X-F" : "x-f").append(random.nextInt(3)).append(':')
                        .append(" ".repeat(random.nextInt(3))).append("v").append(random.nextInt(1000)).append(random.nextBoolean() ? " " : "").append("\r\n");
            }
            String body = "b".repeat(random.nextInt(20));
            boolean chunked = !method.equals("HEAD") && s.indexOf("HTTP/1.0", s.lastIndexOf(method)) < 0 && random.nextInt(3) == 0;
            if (chunked) {
                s.append("Transfer-Encoding: chunked\r\n\r\n");
                if (!body.isEmpty()) {
                    s.append(Integer.toHexString(body.length())).append("\r\n").append(body).append("\r\n");
                }
                s.append("0\r\n").append(random.nextBoolean() ? "X-T: t\r\n" : "").append("\r\n");
            } else if (!body.isEmpty()) {
                s.append("Content-Length: ").append(body.length()).append("\r\n\r\n").append(body);
            } else {
                s.append("\r\n");
            }
        }
        return s.toString();
    }

    private static String mutate(String valid, Random random) {
        StringBuilder s = new StringBuilder(valid);
        for (int n = 1 + random.nextInt(2); n > 0; n--) {
            int at = random.nextInt(s.length());
            String snippet = SNIPPETS[random.nextInt(SNIPPETS.length)];
            switch (random.nextInt(3)) {
                case 0 -> s.insert(at, snippet);
                case 1 -> s.replace(at, Math.min(s.length(), at + snippet.length()), snippet);
                default -> s.deleteCharAt(at);
            }
        }
        return s.toString();
    }

    // --- helpers ---

    private static EmbeddedChannel server() {
        return new EmbeddedChannel(Http1Codecs.server(8192, 16384));
    }

    /** A client's connection to the proxy that has read {@code requests}: its encoder frames responses by their methods. */
    private static EmbeddedChannel clientThatAsked(String requests) {
        EmbeddedChannel client = server();
        client.writeInbound(bytes(requests));
        drain(client).forEach(ReferenceCountUtil::release);
        return client;
    }

    /** The responses an upstream connection reads from {@code raw}, to requests of {@code methods} sent on it. */
    private static List<Object> upstreamAnswers(String raw, HttpMethod... methods) {
        EmbeddedChannel upstream = new EmbeddedChannel(Http1Codecs.client(8192, 16384));
        for (HttpMethod method : methods) {
            upstream.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, "/"));
        }
        upstream.releaseOutbound();
        upstream.writeInbound(bytes(raw));
        List<Object> responses = drain(upstream);
        upstream.finishAndReleaseAll();
        return responses;
    }

    /** What the channel wrote, as text; releases it. */
    private static String written(EmbeddedChannel channel) {
        StringBuilder written = new StringBuilder();
        for (Object o; (o = channel.readOutbound()) != null; ) {
            written.append(((ByteBuf) o).toString(StandardCharsets.ISO_8859_1));
            ReferenceCountUtil.release(o);
        }
        return written.toString();
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private static List<Object> decode(String... pieces) {
        EmbeddedChannel channel = server();
        for (String piece : pieces) {
            channel.writeInbound(bytes(piece));
        }
        List<Object> read = drain(channel);
        channel.finishAndReleaseAll();
        return read;
    }

    private static List<Object> netty(String raw) {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpRequestDecoder(new HttpDecoderConfig()
                .setMaxInitialLineLength(8192).setMaxHeaderSize(16384)));
        channel.writeInbound(bytes(raw));
        List<Object> read = drain(channel);
        channel.finishAndReleaseAll();
        return read;
    }

    private static List<Object> drain(EmbeddedChannel channel) {
        List<Object> read = new ArrayList<>();
        for (Object o; (o = channel.readInbound()) != null; ) {
            read.add(o);
        }
        return read;
    }

    private static Throwable failure(EmbeddedChannel channel, String raw) {
        channel.writeInbound(bytes(raw));
        List<Object> read = drain(channel);
        channel.finishAndReleaseAll();
        return ((DecoderResultProvider) read.get(0)).decoderResult().cause();
    }

    /** What was read, as text: heads with their fields, bodies as they are, ends with trailers, failures; releases it all. */
    private static String transcript(List<Object> read) {
        StringBuilder s = new StringBuilder();
        for (Object o : read) {
            if (o instanceof DecoderResultProvider d && d.decoderResult().isFailure()) {
                s.append("[FAIL]");
                ReferenceCountUtil.release(o);
                break;
            }
            if (o instanceof HttpMessage m) {
                s.append('[').append(m instanceof HttpRequest r ? r.method() + " " + r.uri()
                        : ((HttpResponse) m).status().code() + " " + ((HttpResponse) m).status().reasonPhrase());
                s.append(' ').append(m.protocolVersion()).append(' ').append(fields(m.headers())).append(']');
            }
            if (o instanceof HttpContent c) {
                s.append(c.content().toString(StandardCharsets.ISO_8859_1));
            }
            if (o instanceof LastHttpContent last) {
                s.append(last.trailingHeaders().isEmpty() ? "[END]" : "[END " + fields(last.trailingHeaders()).replaceAll("[{}]", "") + "]");
            }
            ReferenceCountUtil.release(o);
        }
        return s.toString();
    }

    private static String fields(HttpHeaders headers) {
        StringBuilder s = new StringBuilder("{");
        for (Map.Entry<String, String> field : headers) {
            s.append(s.length() > 1 ? ", " : "").append(field.getKey()).append('=').append(field.getValue());
        }
        return s.append('}').toString();
    }

    private static String escape(String raw) {
        StringBuilder s = new StringBuilder();
        for (char c : raw.toCharArray()) {
            s.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return s.toString();
    }
}
