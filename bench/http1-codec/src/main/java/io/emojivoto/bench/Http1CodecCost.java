package io.emojivoto.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpVersion;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The HTTP/1.1 work a proxy does per request, without sockets: take in the client's request head,
 * send it on, take in the upstream's response, send it back. bench/proxy.sh shows the proxy spending
 * about 4 µs of CPU per request more than nginx; this splits off how much of that the HTTP/1.1 codec
 * is, and what another parser would save. The messages are the ones bench/proxy.sh relays: h2load's
 * request and the nginx backend's answer.
 * <ul>
 *   <li>nettyCodecs: the proxy's codecs, configured as in the proxy, on both sides (four passes);</li>
 *   <li>nettyDecodersOnly: the two decoding passes alone;</li>
 *   <li>nettyDecodersPlainWriter: those, and each decoded head written out by a plain loop over its
 *       headers instead of Netty's encoders (what writing our own encoder could save);</li>
 *   <li>embeddedChannelOverhead: the same EmbeddedChannel calls with no codec, to subtract;</li>
 *   <li>jettyParseOnly: Jetty's strict parser on both messages, for the parsing alone;</li>
 *   <li>jettyParseAndWrite: that, and the fields written back out;</li>
 *   <li>byteScanFloor: every byte of both heads checked against a table and the head's end found,
 *       the least any parser that validates in place must do.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xmn32m", "-Dio.netty.leakDetection.level=disabled"})
public class Http1CodecCost {

    static final byte[] REQUEST = ("GET / HTTP/1.1\r\nHost: 127.0.0.1:19282\r\n"
            + "user-agent: h2load nghttp2/1.52.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Tue, 01 Dec 2026 18:46:24 GMT\r\n"
            + "Content-Type: text/plain\r\nContent-Length: 6\r\nConnection: keep-alive\r\n\r\nhello\n")
            .getBytes(StandardCharsets.US_ASCII);

    // The proxy's limits (ProxyServer, Upstreams; MAX_HEADER_SIZE's default), so that both parsers check the same.
    private static final int MAX_HEADER_SIZE = 16384;
    private static final int UPSTREAM_MAX_LINE = 4096;
    private static final int UPSTREAM_MAX_CHUNK = 8192;

    private ByteBuf request;
    private ByteBuf response;
    private EmbeddedChannel downstream; // the client's connection: server codec
    private EmbeddedChannel upstream;   // the connection to the app: client codec
    private EmbeddedChannel requestDecoder;
    private EmbeddedChannel responseDecoder;
    private EmbeddedChannel plainDownstream;
    private EmbeddedChannel plainUpstream;

    private HeadCollector jettyRequest;
    private HeadCollector jettyResponse;
    private HttpParser requestParser;
    private HttpParser responseParser;
    private ByteBuffer jettyRequestBytes;
    private ByteBuffer jettyResponseBytes;
    private final ByteBuffer out = ByteBuffer.allocateDirect(8192);

    private final boolean[] fieldByte = new boolean[256];

    @Setup
    public void setUp() {
        request = Unpooled.directBuffer().writeBytes(REQUEST);
        response = Unpooled.directBuffer().writeBytes(RESPONSE);
        downstream = new EmbeddedChannel(serverCodec());
        upstream = new EmbeddedChannel(new HttpClientCodec(UPSTREAM_MAX_LINE, MAX_HEADER_SIZE, UPSTREAM_MAX_CHUNK));
        // The decoders alone: the codecs would count requests left unanswered and refuse the 129th.
        requestDecoder = new EmbeddedChannel(new HttpRequestDecoder(decoderConfig()));
        responseDecoder = new EmbeddedChannel(new HttpResponseDecoder(UPSTREAM_MAX_LINE, MAX_HEADER_SIZE, UPSTREAM_MAX_CHUNK));
        plainDownstream = new EmbeddedChannel();
        plainUpstream = new EmbeddedChannel();

        jettyRequest = new HeadCollector();
        jettyResponse = new HeadCollector();
        requestParser = new HttpParser((HttpParser.RequestHandler) jettyRequest, MAX_HEADER_SIZE, HttpCompliance.RFC9110);
        responseParser = new HttpParser((HttpParser.ResponseHandler) jettyResponse, MAX_HEADER_SIZE, HttpCompliance.RFC9110);
        jettyRequestBytes = ByteBuffer.allocateDirect(REQUEST.length).put(REQUEST).flip();
        jettyResponseBytes = ByteBuffer.allocateDirect(RESPONSE.length).put(RESPONSE).flip();

        for (int c = 0x20; c < 0x7f; c++) {
            fieldByte[c] = true;
        }
        fieldByte['\t'] = fieldByte['\r'] = fieldByte['\n'] = true;
    }

    /** As ProxyServer configures it for client connections. */
    private static HttpServerCodec serverCodec() {
        return new HttpServerCodec(decoderConfig());
    }

    private static HttpDecoderConfig decoderConfig() {
        return new HttpDecoderConfig().setMaxInitialLineLength(8192).setMaxHeaderSize(MAX_HEADER_SIZE).setMaxChunkSize(65536);
    }

    @Benchmark
    public void nettyCodecs(Blackhole bh) {
        relay(downstream, request, upstream, bh);
        relay(upstream, response, downstream, bh);
    }

    @Benchmark
    public void nettyDecodersOnly(Blackhole bh) {
        requestDecoder.writeInbound(request.retainedDuplicate());
        drainInbound(requestDecoder, bh);
        responseDecoder.writeInbound(response.retainedDuplicate());
        drainInbound(responseDecoder, bh);
    }

    /** Netty's decoders, and the decoded head written out by a plain loop over its headers. */
    @Benchmark
    public void nettyDecodersPlainWriter(Blackhole bh) {
        requestDecoder.writeInbound(request.retainedDuplicate());
        writeDecoded(requestDecoder, bh);
        responseDecoder.writeInbound(response.retainedDuplicate());
        writeDecoded(responseDecoder, bh);
    }

    private void writeDecoded(EmbeddedChannel decoder, Blackhole bh) {
        Object msg;
        while ((msg = decoder.readInbound()) != null) {
            ByteBuf head = null;
            if (msg instanceof HttpRequest req) {
                head = ByteBufAllocator.DEFAULT.directBuffer(256);
                ByteBufUtil.writeAscii(head, req.method().asciiName());
                head.writeByte(' ');
                ByteBufUtil.writeAscii(head, req.uri());
                head.writeBytes(HTTP_1_1_CRLF);
                writeHeaders(head, req.headers());
            } else if (msg instanceof HttpResponse res) {
                head = ByteBufAllocator.DEFAULT.directBuffer(256);
                head.writeBytes(HTTP_1_1_SP);
                ByteBufUtil.writeAscii(head, res.status().codeAsText());
                head.writeByte(' ');
                ByteBufUtil.writeAscii(head, res.status().reasonPhrase());
                head.writeShort(CRLF);
                writeHeaders(head, res.headers());
            }
            if (head != null) {
                bh.consume(head);
                head.release();
            }
            if (msg instanceof HttpContent content) {
                bh.consume(content.content().readableBytes()); // a body is passed on as it is
            }
            ReferenceCountUtil.release(msg);
        }
    }

    private static final byte[] HTTP_1_1_CRLF = " HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HTTP_1_1_SP = "HTTP/1.1 ".getBytes(StandardCharsets.US_ASCII);
    private static final int CRLF = ('\r' << 8) | '\n';

    private static void writeHeaders(ByteBuf head, HttpHeaders headers) {
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> header = it.next();
            ByteBufUtil.writeAscii(head, header.getKey());
            head.writeShort((':' << 8) | ' ');
            ByteBufUtil.writeAscii(head, header.getValue());
            head.writeShort(CRLF);
        }
        head.writeShort(CRLF);
    }

    @Benchmark
    public void embeddedChannelOverhead(Blackhole bh) {
        relay(plainDownstream, request, plainUpstream, bh);
        relay(plainUpstream, response, plainDownstream, bh);
    }

    @Benchmark
    public void jettyParseOnly(Blackhole bh) {
        parse(requestParser, jettyRequestBytes);
        parse(responseParser, jettyResponseBytes);
        bh.consume(jettyRequest.count + jettyResponse.count);
    }

    @Benchmark
    public void jettyParseAndWrite(Blackhole bh) {
        parse(requestParser, jettyRequestBytes);
        bh.consume(jettyRequest.writeRequest(out));
        parse(responseParser, jettyResponseBytes);
        bh.consume(jettyResponse.writeResponse(out));
    }

    private static void parse(HttpParser parser, ByteBuffer bytes) {
        ByteBuffer in = bytes.duplicate();
        while (!parser.parseNext(in) && in.hasRemaining()) {
            // parseNext returns true at the message's end
        }
        parser.reset();
    }

    @Benchmark
    public int byteScanFloor() {
        return headEnd(request) + headEnd(response);
    }

    private int headEnd(ByteBuf head) {
        int lineFeeds = 0;
        for (int i = head.readerIndex(), end = head.writerIndex(); i < end; i++) {
            int c = head.getByte(i) & 0xff;
            if (!fieldByte[c]) {
                return -1;
            }
            if (c == '\n') {
                if (++lineFeeds == 2) {
                    return i + 1;
                }
            } else if (c != '\r') {
                lineFeeds = 0;
            }
        }
        return -1;
    }

    /** What one side reads, decoded, written to the other side and flushed, as the proxy does. */
    private void relay(EmbeddedChannel from, ByteBuf bytes, EmbeddedChannel to, Blackhole bh) {
        from.writeInbound(bytes.retainedDuplicate());
        Object msg;
        while ((msg = from.readInbound()) != null) {
            to.write(msg);
        }
        to.flush();
        while ((msg = to.readOutbound()) != null) {
            bh.consume(msg);
            ReferenceCountUtil.release(msg);
        }
    }

    private static void drainInbound(EmbeddedChannel channel, Blackhole bh) {
        Object msg;
        while ((msg = channel.readInbound()) != null) {
            bh.consume(msg);
            ReferenceCountUtil.release(msg);
        }
    }

    /** Keeps what Jetty's parser reports and writes the head back out, as a proxy forwards it. */
    static final class HeadCollector implements HttpParser.RequestHandler, HttpParser.ResponseHandler {
        private final HttpField[] fields = new HttpField[64];
        private int count;
        private String method;
        private String uri;
        private int status;
        private String reason;
        private ByteBuffer body;

        @Override
        public void startRequest(String method, String uri, HttpVersion version) {
            this.method = method;
            this.uri = uri;
            count = 0;
        }

        @Override
        public void startResponse(HttpVersion version, int status, String reason) {
            this.status = status;
            this.reason = reason;
            count = 0;
        }

        @Override
        public void parsedHeader(HttpField field) {
            fields[count++] = field;
        }

        @Override
        public boolean headerComplete() {
            return false;
        }

        @Override
        public boolean content(ByteBuffer content) {
            body = content.slice();
            content.position(content.limit());
            return false;
        }

        @Override
        public boolean contentComplete() {
            return false;
        }

        @Override
        public boolean messageComplete() {
            return true;
        }

        @Override
        public void earlyEOF() {
        }

        int writeRequest(ByteBuffer out) {
            out.clear();
            ascii(out, method).put((byte) ' ');
            ascii(out, uri);
            ascii(out, " HTTP/1.1\r\n");
            return writeFields(out);
        }

        int writeResponse(ByteBuffer out) {
            out.clear();
            ascii(out, "HTTP/1.1 ");
            ascii(out, Integer.toString(status)).put((byte) ' ');
            ascii(out, reason == null ? "" : reason);
            ascii(out, "\r\n");
            int length = writeFields(out);
            if (body != null) {
                out.put(body);
                body = null;
            }
            return length;
        }

        private int writeFields(ByteBuffer out) {
            for (int i = 0; i < count; i++) {
                ascii(out, fields[i].getName()).put((byte) ':').put((byte) ' ');
                ascii(out, fields[i].getValue()).put((byte) '\r').put((byte) '\n');
            }
            out.put((byte) '\r').put((byte) '\n');
            return out.position();
        }

        private static ByteBuffer ascii(ByteBuffer out, String s) {
            for (int i = 0; i < s.length(); i++) {
                out.put((byte) s.charAt(i));
            }
            return out;
        }
    }
}
