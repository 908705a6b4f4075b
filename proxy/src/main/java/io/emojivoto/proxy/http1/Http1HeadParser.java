package io.emojivoto.proxy.http1;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Parses the head of an HTTP/1.1 message (RFC 9112) strictly, byte by byte where it lies: every
 * byte must be one the grammar allows where it stands, lines end in CRLF only, and the framing
 * must be unambiguous. A proxy that reads a message's length differently from the server behind
 * it can be made to smuggle a second request inside the first, so whatever two parsers could read
 * two ways is refused: bare LF or CR, whitespace before a colon or in the request line, obs-fold,
 * Content-Length and Transfer-Encoding together, either one twice, a transfer coding other than
 * chunked, a Content-Length that is not plain digits, more than one Host.
 *
 * <p>One parser per connection direction; not thread-safe. The framing of the last head parsed is
 * read from {@link #contentLength()} and {@link #chunked()}.
 */
final class Http1HeadParser {

    /** A message the parser refuses; the message says why. Thrown often by bad clients, so no stack trace. */
    static final class BadMessage extends RuntimeException {
        BadMessage(String message) {
            super(message, null, false, false);
        }
    }

    private static final byte TOKEN = 1, TARGET = 2, FIELD_VALUE = 4;
    private static final byte[] CLASS = new byte[256];

    static {
        for (int c = 0x21; c <= 0x7e; c++) {
            CLASS[c] |= TARGET | FIELD_VALUE;
            if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0) {
                CLASS[c] |= TOKEN;
            }
        }
        for (int c = 0x80; c <= 0xff; c++) {
            CLASS[c] |= FIELD_VALUE; // obs-text
        }
        CLASS[' '] |= FIELD_VALUE;
        CLASS['\t'] |= FIELD_VALUE;
    }

    private static final VarHandle EIGHT_BYTES = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final byte[] CONTENT_LENGTH = bytes("content-length");
    private static final byte[] TRANSFER_ENCODING = bytes("transfer-encoding");
    private static final byte[] HOST = bytes("host");
    private static final byte[] TRAILER = bytes("trailer");
    private static final byte[] CHUNKED = bytes("chunked");
    private static final HttpMethod[] METHODS = {HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE,
        HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.PATCH, HttpMethod.TRACE};

    private final int maxLine;
    private final int maxHeaders;
    private int[] fields = new int[4 * 16];
    private int count;
    private int contentLengthField;
    private int transferEncodingField;
    private int hosts;
    private long contentLength;
    private boolean chunked;
    // the last head parsed
    private HttpMethod method;
    private String uri;
    private HttpVersion version;
    private HttpResponseStatus status;
    private WireHeaders headers;

    Http1HeadParser(int maxLine, int maxHeaders) {
        this.maxLine = maxLine;
        this.maxHeaders = maxHeaders;
    }

    int maxLine() {
        return maxLine;
    }

    int maxHeaders() {
        return maxHeaders;
    }

    /** The largest head this parser takes: its start line and its header block. */
    int maxHead() {
        return maxLine + 2 + maxHeaders;
    }

    /** The body's length from the last head: -1 when it has none (or, for a response, until close). */
    long contentLength() {
        return contentLength;
    }

    boolean chunked() {
        return chunked;
    }

    /**
     * Parses a request head, {@code head[0, length)}, ending in an empty line; its parts are then
     * {@link #method()}, {@link #uri()}, {@link #version()}, {@link #headers()}, with the framing of
     * its body. The array becomes the request's; it must not be written to afterwards.
     */
    void parseRequest(byte[] head, int length) {
        int p = 0;
        while ((CLASS[head[p] & 0xff] & TOKEN) != 0) {
            p++;
        }
        int methodEnd = p;
        if (methodEnd == 0 || head[p] != ' ') {
            throw new BadMessage("bad request line: method");
        }
        int targetStart = ++p;
        while ((CLASS[head[p] & 0xff] & TARGET) != 0) {
            p++;
        }
        int targetEnd = p;
        if (targetEnd == targetStart || head[p] != ' ') {
            throw new BadMessage("bad request line: target");
        }
        version = version(head, p + 1);
        int lineEnd = p + 9;
        if (head[lineEnd] != '\r' || head[lineEnd + 1] != '\n') {
            throw new BadMessage("bad request line: version");
        }
        if (lineEnd > maxLine) {
            throw new TooLongHttpLineException("request line over " + maxLine + " bytes");
        }
        fields(head, lineEnd + 2, length);
        if (hosts > 1) {
            throw new BadMessage("more than one Host");
        }
        framing(head, true);
        if (chunked && version == HttpVersion.HTTP_1_0) {
            throw new BadMessage("Transfer-Encoding in an HTTP/1.0 request");
        }
        uri = new String(head, targetStart, targetEnd - targetStart, StandardCharsets.ISO_8859_1);
        method = method(head, methodEnd);
        headers = headers(head, length, lineEnd + 2, new Object[] {method, uri, version});
    }

    /** Parses a response head, as {@link #parseRequest}: {@link #status()}; its framing still depends on the request it answers. */
    void parseResponse(byte[] head, int length) {
        version = version(head, 0);
        if (head[8] != ' ' || !digit(head[9]) || !digit(head[10]) || !digit(head[11]) || head[9] == '0') {
            throw new BadMessage("bad status line");
        }
        int code = (head[9] - '0') * 100 + (head[10] - '0') * 10 + (head[11] - '0');
        int p = 12;
        int reasonStart = p;
        if (head[p] == ' ') {
            reasonStart = ++p;
            while ((CLASS[head[p] & 0xff] & FIELD_VALUE) != 0) {
                p++;
            }
        }
        if (head[p] != '\r' || head[p + 1] != '\n') {
            throw new BadMessage("bad status line");
        }
        if (p > maxLine) {
            throw new TooLongHttpLineException("status line over " + maxLine + " bytes");
        }
        fields(head, p + 2, length);
        framing(head, false);
        status = HttpResponseStatus.valueOf(code);
        if (!sameBytes(head, reasonStart, p, status.reasonPhrase())) {
            status = new HttpResponseStatus(code, new String(head, reasonStart, p - reasonStart, StandardCharsets.ISO_8859_1));
        }
        headers = headers(head, length, p + 2, new Object[] {version, status, null});
    }

    HttpMethod method() {
        return method;
    }

    String uri() {
        return uri;
    }

    HttpVersion version() {
        return version;
    }

    HttpResponseStatus status() {
        return status;
    }

    WireHeaders headers() {
        return headers;
    }

    /**
     * The trailer section after a chunked body's last chunk: {@code head[0, length)}, ending in an
     * empty line. Fields that frame a message are dropped there, as Netty does: they mean nothing
     * after the body (RFC 9110 §6.5.1), and whoever reads them next must not take them for framing.
     */
    HttpHeaders trailers(byte[] head, int length) {
        fields(head, 0, length);
        HttpHeaders trailers = new DefaultHttpHeaders();
        for (int i = 0; i < count; i++) {
            int f = 4 * i;
            if (i == contentLengthField || i == transferEncodingField
                    || (fields[f + 1] - fields[f] == TRAILER.length && sameIgnoringCase(head, fields[f], TRAILER))) {
                continue;
            }
            trailers.add(new String(head, fields[f], fields[f + 1] - fields[f], StandardCharsets.ISO_8859_1),
                    new String(head, fields[f + 2], fields[f + 3] - fields[f + 2], StandardCharsets.ISO_8859_1));
        }
        return trailers;
    }

    private WireHeaders headers(byte[] head, int length, int startLineEnd, Object[] startLine) {
        return new WireHeaders(head, startLineEnd, startLine, Arrays.copyOf(fields, 4 * count), count, length - 2);
    }

    private static HttpVersion version(byte[] head, int p) {
        if (head[p] == 'H' && head[p + 1] == 'T' && head[p + 2] == 'T' && head[p + 3] == 'P' && head[p + 4] == '/'
                && head[p + 5] == '1' && head[p + 6] == '.') {
            if (head[p + 7] == '1') {
                return HttpVersion.HTTP_1_1;
            }
            if (head[p + 7] == '0') {
                return HttpVersion.HTTP_1_0;
            }
        }
        throw new BadMessage("not HTTP/1.1 or HTTP/1.0");
    }

    /**
     * The field lines from {@code p} to the empty line that ends the head at {@code length - 2}:
     * {@code name ":" OWS value OWS CRLF}, name a token, value visible characters, obs-text, spaces
     * and tabs. Where each lies goes into {@link #fields}.
     */
    private void fields(byte[] head, int p, int length) {
        int end = length - 2;
        if (end - p > maxHeaders) {
            throw new TooLongHttpHeaderException("header fields over " + maxHeaders + " bytes");
        }
        count = 0;
        contentLengthField = -1;
        transferEncodingField = -1;
        hosts = 0;
        while (p < end) {
            int nameStart = p;
            while ((CLASS[head[p] & 0xff] & TOKEN) != 0) {
                p++;
            }
            if (p == nameStart || head[p] != ':') {
                throw new BadMessage(p == nameStart && (head[p] == ' ' || head[p] == '\t')
                        ? "obsolete line folding" : "bad header field name");
            }
            int nameEnd = p++;
            while (head[p] == ' ' || head[p] == '\t') {
                p++;
            }
            int valueStart = p;
            while (p + 8 <= end && plainValueBytes((long) EIGHT_BYTES.get(head, p))) {
                p += 8;
            }
            while ((CLASS[head[p] & 0xff] & FIELD_VALUE) != 0) {
                p++;
            }
            if (head[p] != '\r' || head[p + 1] != '\n') {
                throw new BadMessage("bad header field value");
            }
            int valueEnd = p;
            while (valueEnd > valueStart && (head[valueEnd - 1] == ' ' || head[valueEnd - 1] == '\t')) {
                valueEnd--;
            }
            record(head, nameStart, nameEnd, valueStart, valueEnd);
            p += 2;
        }
    }

    /**
     * Whether eight bytes are all visible characters, spaces or obs-text, so that a value's scan can
     * pass them at once: no byte below 0x20 (tab and CR go the byte-by-byte way) and none 0x7f.
     * Exact as a yes or no (the borrows can only spill past a byte that already says no).
     */
    private static boolean plainValueBytes(long x) {
        long control = (x - 0x2020202020202020L) & ~x & 0x8080808080808080L;
        long del = x ^ 0x7f7f7f7f7f7f7f7fL;
        return (control | ((del - 0x0101010101010101L) & ~del & 0x8080808080808080L)) == 0;
    }

    private void record(byte[] head, int nameStart, int nameEnd, int valueStart, int valueEnd) {
        if (4 * count == fields.length) {
            fields = Arrays.copyOf(fields, 2 * fields.length);
        }
        int f = 4 * count;
        fields[f] = nameStart;
        fields[f + 1] = nameEnd;
        fields[f + 2] = valueStart;
        fields[f + 3] = valueEnd;
        int nameLength = nameEnd - nameStart;
        if (nameLength == CONTENT_LENGTH.length && sameIgnoringCase(head, nameStart, CONTENT_LENGTH)) {
            if (contentLengthField >= 0) {
                throw new BadMessage("more than one Content-Length");
            }
            contentLengthField = count;
        } else if (nameLength == TRANSFER_ENCODING.length && sameIgnoringCase(head, nameStart, TRANSFER_ENCODING)) {
            if (transferEncodingField >= 0) {
                throw new BadMessage("more than one Transfer-Encoding");
            }
            transferEncodingField = count;
        } else if (nameLength == HOST.length && sameIgnoringCase(head, nameStart, HOST)) {
            hosts++;
        }
        count++;
    }

    /** Reads the body's framing (RFC 9112 §6) from the Content-Length and Transfer-Encoding fields. */
    private void framing(byte[] head, boolean request) {
        contentLength = -1;
        chunked = false;
        if (transferEncodingField >= 0) {
            if (contentLengthField >= 0) {
                throw new BadMessage("both Transfer-Encoding and Content-Length");
            }
            int f = 4 * transferEncodingField;
            if (fields[f + 3] - fields[f + 2] != CHUNKED.length || !sameIgnoringCase(head, fields[f + 2], CHUNKED)) {
                throw new BadMessage("unsupported Transfer-Encoding" + (request ? "" : " in a response"));
            }
            chunked = true;
        } else if (contentLengthField >= 0) {
            int f = 4 * contentLengthField;
            int start = fields[f + 2];
            int end = fields[f + 3];
            if (end == start || end - start > 18) {
                throw new BadMessage("bad Content-Length");
            }
            long value = 0;
            for (int i = start; i < end; i++) {
                if (!digit(head[i])) {
                    throw new BadMessage("bad Content-Length");
                }
                value = value * 10 + (head[i] - '0');
            }
            contentLength = value;
        }
    }

    private static HttpMethod method(byte[] head, int end) {
        for (HttpMethod known : METHODS) {
            if (sameBytes(head, 0, end, known.name())) {
                return known;
            }
        }
        return HttpMethod.valueOf(new String(head, 0, end, StandardCharsets.ISO_8859_1));
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean sameBytes(byte[] head, int from, int to, String text) {
        if (to - from != text.length()) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (head[i] != text.charAt(i - from)) {
                return false;
            }
        }
        return true;
    }

    /** {@code lowercase} at {@code head[from]}, ignoring the case of ASCII letters. */
    private static boolean sameIgnoringCase(byte[] head, int from, byte[] lowercase) {
        for (int i = 0; i < lowercase.length; i++) {
            int c = head[from + i];
            if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != lowercase[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
