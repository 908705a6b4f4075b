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

    private static final List<CharSequence> ALWAYS = List.of(
            HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE, AsciiString.cached("proxy-connection"), HttpHeaderNames.TE,
            HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE, HttpHeaderNames.TRAILER,
            HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.PROXY_AUTHORIZATION,
            // Netty's HTTP/2-to-HTTP/1 conversion adds these; they are not on the wire.
            HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text(),
            HttpConversionUtil.ExtensionHeaderNames.SCHEME.text(),
            HttpConversionUtil.ExtensionHeaderNames.STREAM_DEPENDENCY_ID.text(),
            HttpConversionUtil.ExtensionHeaderNames.STREAM_WEIGHT.text());

    /** {@link #ALWAYS} by name length: most header names have a length none of them has, and cost one lookup. */
    private static final CharSequence[][] BY_LENGTH = byLength();

    private HopByHop() {
    }

    private static CharSequence[][] byLength() {
        int longest = ALWAYS.stream().mapToInt(CharSequence::length).max().orElse(0);
        CharSequence[][] table = new CharSequence[longest + 1][];
        for (int length = 0; length <= longest; length++) {
            int n = length;
            table[length] = ALWAYS.stream().filter(name -> name.length() == n).toArray(CharSequence[]::new);
        }
        return table;
    }

    /**
     * Removes hop-by-hop headers and those the Connection header names. For HTTP/2 the codec keeps
     * {@code te: trailers}, which gRPC requires, so it stays when {@code keepTeTrailers}. One pass
     * finds them, and only those found are removed: most messages carry none, or only Connection.
     */
    static void strip(HttpHeaders headers, boolean keepTeTrailers) {
        List<CharSequence> found = null;
        CharSequence te = null;
        Iterator<Map.Entry<CharSequence, CharSequence>> entries = headers.iteratorCharSequence();
        while (entries.hasNext()) {
            Map.Entry<CharSequence, CharSequence> header = entries.next();
            CharSequence name = header.getKey();
            if (!isHopByHop(name)) {
                continue;
            }
            if (found == null) {
                found = new ArrayList<>(4);
            }
            found.add(name);
            if (te == null && AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.TE)) {
                te = header.getValue();
            } else if (AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.CONNECTION)) {
                for (String listed : header.getValue().toString().split(",")) {
                    if (!listed.isBlank()) {
                        found.add(listed.trim());
                    }
                }
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

    private static boolean isHopByHop(CharSequence name) {
        if (name.length() >= BY_LENGTH.length) {
            return false;
        }
        for (CharSequence hopByHop : BY_LENGTH[name.length()]) {
            if (AsciiString.contentEqualsIgnoreCase(name, hopByHop)) {
                return true;
            }
        }
        return false;
    }
}
