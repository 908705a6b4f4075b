package io.emojivoto.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Headers that belong to one connection and are not forwarded (RFC 9110 §7.6.1). */
public final class HopByHop {

    private static final AsciiString[] ALWAYS = {
            HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE, AsciiString.cached("proxy-connection"), HttpHeaderNames.TE,
            HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE, HttpHeaderNames.TRAILER,
            HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.PROXY_AUTHORIZATION,
            // Netty's HTTP/2-to-HTTP/1 conversion adds these; they are not on the wire.
            HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text(),
            HttpConversionUtil.ExtensionHeaderNames.SCHEME.text(),
            HttpConversionUtil.ExtensionHeaderNames.STREAM_DEPENDENCY_ID.text(),
            HttpConversionUtil.ExtensionHeaderNames.STREAM_WEIGHT.text()};

    /**
     * What Connection may not name: a client that lists Content-Length would have its body forwarded
     * without it, to be read by the app as the next request (smuggling); one that lists Host would
     * change where it is routed.
     */
    private static final List<AsciiString> NEVER_LISTED = List.of(HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.HOST);

    private HopByHop() {
    }

    /**
     * Removes hop-by-hop headers and those the Connection header names. For HTTP/2 the codec keeps
     * {@code te: trailers}, which gRPC requires, so it stays when {@code keepTeTrailers}. A lookup per
     * name: most messages carry none of them, or only Connection.
     */
    public static void strip(HttpHeaders headers, boolean keepTeTrailers) {
        boolean teTrailers = keepTeTrailers && headers.contains(HttpHeaderNames.TE)
                && headers.get(HttpHeaderNames.TE).toLowerCase(Locale.ROOT).contains("trailers");
        if (headers.contains(HttpHeaderNames.CONNECTION)) {
            for (String name : namedBy(headers.getAll(HttpHeaderNames.CONNECTION))) {
                headers.remove(name);
            }
        }
        for (AsciiString name : ALWAYS) {
            if (headers.contains(name)) {
                headers.remove(name);
            }
        }
        if (teTrailers) {
            headers.set(HttpHeaderNames.TE, "trailers");
        }
    }

    /** The fields the Connection values name, save those they may not. */
    private static List<String> namedBy(List<String> connections) {
        List<String> names = new ArrayList<>(2);
        for (String connection : connections) {
            for (String listed : connection.split(",")) {
                String name = listed.trim();
                if (!name.isEmpty() && NEVER_LISTED.stream().noneMatch(never -> never.contentEqualsIgnoreCase(name))) {
                    names.add(name);
                }
            }
        }
        return names;
    }
}
