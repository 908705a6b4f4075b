package io.emojivoto.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Headers that belong to one connection and are not forwarded (RFC 9110 §7.6.1). */
final class HopByHop {

    private static final HeaderNameSet ALWAYS = new HeaderNameSet(
            HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE, AsciiString.cached("proxy-connection"), HttpHeaderNames.TE,
            HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE, HttpHeaderNames.TRAILER,
            HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.PROXY_AUTHORIZATION,
            // Netty's HTTP/2-to-HTTP/1 conversion adds these; they are not on the wire.
            HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text(),
            HttpConversionUtil.ExtensionHeaderNames.SCHEME.text(),
            HttpConversionUtil.ExtensionHeaderNames.STREAM_DEPENDENCY_ID.text(),
            HttpConversionUtil.ExtensionHeaderNames.STREAM_WEIGHT.text());

    private static final int CONNECTION = 0; // its position in ALWAYS

    /**
     * What Connection may not name: a client that lists Content-Length would have its body forwarded
     * without it, to be read by the app as the next request (smuggling); one that lists Host would
     * change where it is routed.
     */
    private static final HeaderNameSet NEVER_LISTED = new HeaderNameSet(HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.HOST);

    private HopByHop() {
    }

    /** HTTP/1.1, whose messages never keep {@code te} (it is for HTTP/2's gRPC): fields found and dropped where they lie. */
    private static void strip(WireHeaders headers) {
        for (int i = 0; i < headers.wireCount(); i++) {
            int known = headers.nameIn(i, ALWAYS);
            if (known < 0) {
                continue;
            }
            if (known == CONNECTION) {
                headers.removeFieldsNamedBy(i, NEVER_LISTED);
            }
            headers.removeField(i);
        }
    }

    /** The fields a Connection value names, save those it may not. */
    private static List<String> namedBy(CharSequence connection) {
        List<String> names = new ArrayList<>(2);
        for (String listed : connection.toString().split(",")) {
            String name = listed.trim();
            if (!name.isEmpty() && !NEVER_LISTED.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * Removes hop-by-hop headers and those the Connection header names. For HTTP/2 the codec keeps
     * {@code te: trailers}, which gRPC requires, so it stays when {@code keepTeTrailers}. One pass
     * finds them, and only those found are removed: most messages carry none, or only Connection.
     */
    static void strip(HttpHeaders headers, boolean keepTeTrailers) {
        if (headers instanceof WireHeaders wire) {
            strip(wire);
            return;
        }
        List<CharSequence> found = null;
        CharSequence te = null;
        Iterator<Map.Entry<CharSequence, CharSequence>> entries = headers.iteratorCharSequence();
        while (entries.hasNext()) {
            Map.Entry<CharSequence, CharSequence> header = entries.next();
            CharSequence name = header.getKey();
            if (!ALWAYS.contains(name)) {
                continue;
            }
            if (found == null) {
                found = new ArrayList<>(4);
            }
            found.add(name);
            if (te == null && AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.TE)) {
                te = header.getValue();
            } else if (AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.CONNECTION)) {
                found.addAll(namedBy(header.getValue()));
            }
        }
        if (found == null) {
            return;
        }
        for (CharSequence name : found) {
            headers.remove(name);
        }
        if (keepTeTrailers && te != null && te.toString().toLowerCase(Locale.ROOT).contains("trailers")) {
            headers.set(HttpHeaderNames.TE, "trailers");
        }
    }
}
