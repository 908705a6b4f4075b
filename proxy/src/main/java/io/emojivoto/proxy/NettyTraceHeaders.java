package io.emojivoto.proxy;

import io.emojivoto.tracecontext.TraceHeaderNames;
import io.emojivoto.tracecontext.TraceHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A request's Netty headers as trace-context reads them, in place: no copy of the headers, and for a
 * request without trace headers no allocation. HTTP/1.1's {@code WireHeaders} reads values where they
 * lie in the bytes received.
 */
public final class NettyTraceHeaders implements TraceHeaders {

    // Netty hashes an AsciiString name once and a String on every lookup; every request looks these up.
    private static final Map<String, AsciiString> ASCII = new HashMap<>();

    static {
        for (String name : TraceHeaderNames.ALL) {
            ASCII.put(name, AsciiString.cached(name));
        }
    }

    private final HttpHeaders headers;

    private NettyTraceHeaders(HttpHeaders headers) {
        this.headers = headers;
    }

    public static NettyTraceHeaders of(HttpHeaders headers) {
        return new NettyTraceHeaders(headers);
    }

    private static CharSequence ascii(String name) {
        AsciiString cached = ASCII.get(name);
        return cached != null ? cached : name;
    }

    @Override
    public List<? extends CharSequence> getAll(String name) {
        CharSequence key = ascii(name);
        if (!headers.contains(key)) {
            return List.of();
        }
        Iterator<? extends CharSequence> values = headers.valueCharSequenceIterator(key);
        CharSequence first = values.next();
        if (!values.hasNext()) {
            return List.of(first);
        }
        List<CharSequence> all = new ArrayList<>();
        all.add(first);
        values.forEachRemaining(all::add);
        return all;
    }

    @Override
    public void set(String name, String value) {
        headers.set(ascii(name), value);
    }

    @Override
    public void remove(String name) {
        headers.remove(ascii(name));
    }
}
