package io.emojivoto.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.List;
import java.util.Queue;

/**
 * Turns the bytes of an HTTP/1.1 connection into Netty's HTTP messages, as Netty's own decoders
 * do, for the proxy's {@link Exchange}: a head, then its body in pieces, then a
 * {@link LastHttpContent}. The head is parsed in place by {@link Http1HeadParser} and its header
 * fields stay in the bytes they came in ({@link WireHeaders}); the body is passed on as slices of
 * the buffers read, chunked bodies unchunked.
 */
abstract class Http1Decoder extends ByteToMessageDecoder {

    private enum State { HEAD, FIXED, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, UNTIL_CLOSE, BAD }

    private static final int MAX_CHUNK_SIZE_LINE = 1024;

    final Http1HeadParser parser;
    final Queue<HttpMethod> methods; // of the requests in flight, shared with the encoder on the same connection
    private State state = State.HEAD;
    private long remaining;   // of a fixed-length body or of a chunk
    private int searched;     // bytes of an incomplete head already searched for its end
    private int firstLineEnd = -1; // in that head, once found

    Http1Decoder(int maxLine, int maxHeaders, Queue<HttpMethod> methods) {
        this.parser = new Http1HeadParser(maxLine, maxHeaders);
        this.methods = methods;
    }

    /**
     * Parses a complete head and passes its message on: with its body when that is empty or already
     * all in {@code rest} (a full message: one object through the pipelines and one write, where the
     * head and the body apart are two of each), else alone, with its body's framing set by {@link #body}.
     */
    abstract void head(byte[] head, ByteBuf rest, List<Object> out);

    /**
     * The body of a full message: {@code length} bytes of {@code rest}, if they are all there; else
     * null. Its head, of {@code headers}, was just read from {@code rest}: while both are in one
     * buffer the body is made a slice of one retained slice of the two, so the encoder can relay
     * them as they came ({@link WireHeaders#relayAsRead}), and releasing the body releases both.
     */
    static ByteBuf wholeBody(ByteBuf rest, int headLength, WireHeaders headers, long length, boolean chunked) {
        if (chunked || length < 0 || length > rest.readableBytes()) {
            return null;
        }
        int bodyLength = (int) length;
        ByteBuf wire = rest.retainedSlice(rest.readerIndex() - headLength, headLength + bodyLength);
        rest.skipBytes(bodyLength);
        ByteBuf body = wire.slice(headLength, bodyLength);
        headers.cameWhole(wire, body);
        return body;
    }

    /** What to pass on for a message that cannot be read; after it the rest of the connection is dropped. */
    abstract void malformed(Exception cause, boolean inBody, List<Object> out);

    /** Whether empty lines may come before a head (requests, RFC 9112 §2.2). */
    abstract boolean skipsLeadingEmptyLines();

    /** After a head: its body is {@code contentLength} bytes, chunked, until the connection closes (-1), or none. */
    final void body(List<Object> out, long contentLength, boolean chunked, boolean untilClose) {
        if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (contentLength > 0) {
            remaining = contentLength;
            state = State.FIXED;
        } else if (untilClose) {
            state = State.UNTIL_CLOSE;
        } else {
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
        }
    }

    @Override
    protected final void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            while (in.isReadable() && decodeOne(in, out)) {
                // each round reads one head, one body piece or one chunk line
            }
        } catch (Http1HeadParser.BadMessage | TooLongHttpLineException | TooLongHttpHeaderException e) {
            boolean inBody = state != State.HEAD;
            state = State.BAD;
            in.skipBytes(in.readableBytes());
            malformed(e, inBody, out);
        }
    }

    /** @return whether it made progress and may go on with what is left */
    private boolean decodeOne(ByteBuf in, List<Object> out) {
        switch (state) {
            case HEAD -> {
                if (skipsLeadingEmptyLines() && searched == 0 && !skipEmptyLines(in)) {
                    return false;
                }
                byte[] head = readHead(in);
                if (head == null) {
                    return false;
                }
                head(head, in, out);
                return true;
            }
            case FIXED -> {
                int n = (int) Math.min(in.readableBytes(), remaining);
                remaining -= n;
                if (remaining == 0) {
                    out.add(new DefaultLastHttpContent(in.readRetainedSlice(n), EmptyHttpHeaders.INSTANCE));
                    state = State.HEAD;
                } else {
                    out.add(new DefaultHttpContent(in.readRetainedSlice(n)));
                }
                return true;
            }
            case CHUNK_SIZE -> {
                return chunkSize(in);
            }
            case CHUNK_DATA -> {
                int n = (int) Math.min(in.readableBytes(), remaining);
                out.add(new DefaultHttpContent(in.readRetainedSlice(n)));
                remaining -= n;
                if (remaining == 0) {
                    state = State.CHUNK_END;
                }
                return true;
            }
            case CHUNK_END -> {
                if (in.readableBytes() < 2) {
                    return false;
                }
                if (in.readByte() != '\r' || in.readByte() != '\n') {
                    throw new Http1HeadParser.BadMessage("chunk data not followed by CRLF");
                }
                state = State.CHUNK_SIZE;
                return true;
            }
            case TRAILERS -> {
                return trailers(in, out);
            }
            case UNTIL_CLOSE -> {
                out.add(new DefaultHttpContent(in.readRetainedSlice(in.readableBytes())));
                return true;
            }
            default -> {
                in.skipBytes(in.readableBytes());
                return false;
            }
        }
    }

    private static boolean skipEmptyLines(ByteBuf in) {
        while (in.readableBytes() >= 2 && in.getByte(in.readerIndex()) == '\r' && in.getByte(in.readerIndex() + 1) == '\n') {
            in.skipBytes(2);
        }
        return in.isReadable() && !(in.readableBytes() == 1 && in.getByte(in.readerIndex()) == '\r');
    }

    /**
     * The head at the start of {@code in}, up to and with the empty line that ends it, taken out of
     * {@code in}; null while it is not all there. Each byte is searched once, and copied once. A head
     * over the limits is refused as soon as it is: its first line when that has gone on too long
     * without an end, its fields when they have.
     */
    private byte[] readHead(ByteBuf in) {
        int start = in.readerIndex();
        int limit = start + Math.min(in.readableBytes(), parser.maxHead() + 3);
        for (int i = start + searched; i < limit; ) {
            int lf = in.indexOf(i, limit, (byte) '\n');
            if (lf < 0) {
                break;
            }
            if (lf == start || in.getByte(lf - 1) != '\r') { // refused now, not when the head timeout runs out
                throw new Http1HeadParser.BadMessage("bare LF");
            }
            if (firstLineEnd < 0) {
                firstLineEnd = lf + 1 - start;
            }
            if (lf - start >= 3 && in.getByte(lf - 2) == '\n' && in.getByte(lf - 3) == '\r') {
                byte[] head = new byte[lf + 1 - start];
                in.readBytes(head);
                searched = 0;
                firstLineEnd = -1;
                return head;
            }
            i = lf + 1;
        }
        searched = limit - start;
        if (firstLineEnd < 0 ? searched > parser.maxLine() + 2 : firstLineEnd > parser.maxLine() + 2) {
            throw new TooLongHttpLineException("first line over " + parser.maxLine() + " bytes");
        }
        if (firstLineEnd >= 0 && searched - firstLineEnd > parser.maxHeaders() + 2) {
            throw new TooLongHttpHeaderException("header fields over " + parser.maxHeaders() + " bytes");
        }
        return null;
    }

    /** {@code chunk-size [chunk-ext] CRLF}: the size in hex, then extensions, which are checked and dropped. */
    private boolean chunkSize(ByteBuf in) {
        int eol = in.indexOf(in.readerIndex(), in.readerIndex() + Math.min(in.readableBytes(), MAX_CHUNK_SIZE_LINE), (byte) '\n');
        if (eol < 0) {
            if (in.readableBytes() >= MAX_CHUNK_SIZE_LINE) {
                throw new Http1HeadParser.BadMessage("chunk size line too long");
            }
            return false;
        }
        int p = in.readerIndex();
        long size = 0;
        int digits = 0;
        for (; p < eol; p++) {
            int d = Character.digit(in.getByte(p), 16);
            if (d < 0) {
                break;
            }
            size = size << 4 | d;
            if (++digits > 8 || size > Integer.MAX_VALUE) { // as Netty: no chunk of 2 GiB or more
                throw new Http1HeadParser.BadMessage("chunk size too large");
            }
        }
        if (digits == 0) {
            throw new Http1HeadParser.BadMessage("bad chunk size");
        }
        byte next = in.getByte(p);
        if (next == ';' || next == ' ' || next == '\t') { // BWS ";" chunk extensions, of field-value characters
            while (in.getByte(p) == ' ' || in.getByte(p) == '\t') {
                p++;
            }
            if (in.getByte(p) != ';') {
                throw new Http1HeadParser.BadMessage("bad chunk extension");
            }
            for (p++; p < eol - 1; p++) {
                byte b = in.getByte(p);
                if ((b < 0x20 && b != '\t') || b == 0x7f) {
                    throw new Http1HeadParser.BadMessage("bad chunk extension");
                }
            }
        }
        if (p != eol - 1 || in.getByte(p) != '\r') {
            throw new Http1HeadParser.BadMessage("bad chunk size line");
        }
        in.readerIndex(eol + 1);
        if (size == 0) {
            state = State.TRAILERS;
        } else {
            remaining = size;
            state = State.CHUNK_DATA;
        }
        return true;
    }

    /** After the last chunk: CRLF alone, or trailer fields and then CRLF. */
    private boolean trailers(ByteBuf in, List<Object> out) {
        if (searched == 0) {
            if (in.readableBytes() < 2) {
                return false;
            }
            if (in.getByte(in.readerIndex()) == '\r' && in.getByte(in.readerIndex() + 1) == '\n') {
                in.skipBytes(2);
                out.add(LastHttpContent.EMPTY_LAST_CONTENT);
                state = State.HEAD;
                return true;
            }
        }
        byte[] section = readHead(in); // "\r\n\r\n" ends the trailer section as it ends a head
        if (section == null) {
            return false;
        }
        out.add(new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, parser.trailers(section, section.length)));
        state = State.HEAD;
        return true;
    }

    @Override
    protected final void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (state == State.UNTIL_CLOSE) { // the connection's end is the body's
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
            state = State.HEAD;
        }
    }

    /** Client side to the proxy: requests in. Their methods go to {@code methods}, for the encoder of the responses. */
    static final class Requests extends Http1Decoder {

        Requests(int maxLine, int maxHeaders, Queue<HttpMethod> methods) {
            super(maxLine, maxHeaders, methods);
        }

        @Override
        void head(byte[] head, ByteBuf rest, List<Object> out) {
            Http1HeadParser p = parser;
            p.parseRequest(head, head.length);
            methods.add(p.method());
            long length = Math.max(0, p.contentLength()); // a request with neither length nor chunks has no body
            ByteBuf body = wholeBody(rest, head.length, p.headers(), length, p.chunked());
            if (body != null) {
                out.add(new DefaultFullHttpRequest(p.version(), p.method(), p.uri(), body, p.headers(), EmptyHttpHeaders.INSTANCE));
            } else {
                out.add(new DefaultHttpRequest(p.version(), p.method(), p.uri(), p.headers()));
                body(out, length, p.chunked(), false);
            }
        }

        @Override
        boolean skipsLeadingEmptyLines() {
            return true;
        }

        @Override
        void malformed(Exception cause, boolean inBody, List<Object> out) {
            if (inBody) {
                LastHttpContent broken = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
                broken.setDecoderResult(DecoderResult.failure(cause));
                out.add(broken);
            } else {
                HttpRequest bad = new DefaultFullHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/bad-request");
                bad.setDecoderResult(DecoderResult.failure(cause));
                out.add(bad);
            }
        }
    }

    /** Upstream side of the proxy: responses in, to the requests whose methods {@code methods} holds. */
    static final class Responses extends Http1Decoder {

        Responses(int maxLine, int maxHeaders, Queue<HttpMethod> methods) {
            super(maxLine, maxHeaders, methods);
        }

        @Override
        void head(byte[] head, ByteBuf rest, List<Object> out) {
            Http1HeadParser p = parser;
            p.parseResponse(head, head.length);
            int code = p.status().code();
            if (code == 101) {
                throw new Http1HeadParser.BadMessage("101 Switching Protocols: the proxy does not upgrade connections");
            }
            if (code < 200) {
                // Interim (100 Continue, 103 Early Hints): the final response to the same request follows.
                // Dropped: the proxy answers Expect itself, and an exchange ends with one response, so passing
                // one on would end it early and leave the final response to be taken for the next request's.
                return;
            }
            boolean bodiless = ResponseBody.absent(methods.poll(), code);
            long length = bodiless ? 0 : p.contentLength();
            boolean chunked = !bodiless && p.chunked();
            ByteBuf body = wholeBody(rest, head.length, p.headers(), length, chunked);
            if (body != null) {
                out.add(new DefaultFullHttpResponse(p.version(), p.status(), body, p.headers(), EmptyHttpHeaders.INSTANCE));
            } else {
                out.add(new DefaultHttpResponse(p.version(), p.status(), p.headers()));
                body(out, length, chunked, length < 0 && !chunked);
            }
        }

        @Override
        boolean skipsLeadingEmptyLines() {
            return false;
        }

        @Override
        void malformed(Exception cause, boolean inBody, List<Object> out) {
            throw new Http1HeadParser.BadMessage("malformed response from upstream: " + cause.getMessage());
        }
    }
}
