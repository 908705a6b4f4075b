package io.emojivoto.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.AsciiString;
import java.util.List;

/** Headers that belong to one connection and are not forwarded (RFC 9110 §7.6.1). */
final class HopByHop {

    private static final List<CharSequence> ALWAYS = List.of(
            HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE, AsciiString.cached("proxy-connection"), HttpHeaderNames.TE,
            HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE, HttpHeaderNames.TRAILER,
            HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.PROXY_AUTHORIZATION,
            // Netty's HTTP/2-to-HTTP/1 conversion adds these; they are not on the wire.
            HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text(),
            HttpConversionUtil.ExtensionHeaderNames.SCHEME.text(),
            HttpConversionUtil.ExtensionHeaderNames.STREAM_DEPENDENCY_ID.text(),
            HttpConversionUtil.ExtensionHeaderNames.STREAM_WEIGHT.text());

    private HopByHop() {
    }

    /**
     * Removes hop-by-hop headers and those the Connection header names. For HTTP/2 the codec keeps
     * {@code te: trailers}, which gRPC requires, so it stays when {@code keepTeTrailers}.
     */
    static void strip(HttpHeaders headers, boolean keepTeTrailers) {
        String te = headers.get(HttpHeaderNames.TE);
        if (headers.contains(HttpHeaderNames.CONNECTION)) {
            for (String connection : headers.getAll(HttpHeaderNames.CONNECTION)) {
                for (String name : connection.split(",")) {
                    if (!name.isBlank()) {
                        headers.remove(name.trim());
                    }
                }
            }
        }
        for (CharSequence name : ALWAYS) {
            headers.remove(name);
        }
        if (keepTeTrailers && te != null && te.toLowerCase().contains("trailers")) {
            headers.set(HttpHeaderNames.TE, "trailers");
        }
    }
}
