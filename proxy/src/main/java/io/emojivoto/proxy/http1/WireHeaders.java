package io.emojivoto.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The header fields of an HTTP/1.1 message as they came off the wire, read where they lie in the
 * head's bytes instead of being copied into a map; {@link Http1HeadParser} has checked every byte.
 * Fields removed are skipped and fields set or added go after the others, so a message forwarded
 * with a few changes is written out as the bytes that came, save those lines. This is the proxy's
 * HTTP/1.1 fast path: building a map of strings per message and encoding it back costs more than
 * everything else a proxied request needs.
 */
final class WireHeaders extends HttpHeaders {

    private final byte[] head;
    private final int[] fields; // per field: line start, name end, value start, value end
    private final int count;
    private final int blockEnd; // where the last field's line ends
    private final int startLineEnd; // where the start line's CRLF ends, before the first field
    private final Object[] startLine; // what it was read as: method, target, version; or version, status
    private long[] removed;     // a bit per field, made on the first removal
    private HttpHeaders added;  // fields set or added since, made on the first
    private ByteBuf wire;       // a full message's head and body as read, when it came whole; see cameWhole
    private ByteBuf body;       // the message's body as made: a slice of wire, whose count it shares

    /**
     * @param fields    four offsets per field into {@code head}, {@code count} fields, lines up to {@code blockEnd}
     * @param startLine the three parts the start line, {@code head[0, startLineEnd)}, was read as (a response's third is null)
     */
    WireHeaders(byte[] head, int startLineEnd, Object[] startLine, int[] fields, int count, int blockEnd) {
        this.head = head;
        this.startLineEnd = startLineEnd;
        this.startLine = startLine;
        this.fields = fields;
        this.count = count;
        this.blockEnd = blockEnd;
    }

    // --- reading one field ---

    private boolean isRemoved(int i) {
        return removed != null && (removed[i >>> 6] & (1L << i)) != 0;
    }

    private void markRemoved(int i) {
        if (removed == null) {
            removed = new long[(count + 63) >>> 6];
        }
        removed[i >>> 6] |= 1L << i;
    }

    private boolean nameIs(int i, CharSequence name) {
        int start = fields[4 * i];
        int length = fields[4 * i + 1] - start;
        if (length != name.length()) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            if (lower(head[start + k]) != lower(name.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    private AsciiString nameOf(int i) {
        int start = fields[4 * i];
        return new AsciiString(head, start, fields[4 * i + 1] - start, false);
    }

    private AsciiString valueOf(int i) {
        int start = fields[4 * i + 2];
        return new AsciiString(head, start, fields[4 * i + 3] - start, false);
    }

    private String valueString(int i) {
        int start = fields[4 * i + 2];
        return new String(head, start, fields[4 * i + 3] - start, StandardCharsets.ISO_8859_1);
    }

    private int first(CharSequence name) {
        for (int i = 0; i < count; i++) {
            if (!isRemoved(i) && nameIs(i, name)) {
                return i;
            }
        }
        return -1;
    }

    // --- writing ---

    /**
     * Writes the start line as it came, with its CRLF, when the message's are still the very parts
     * it was read as (in the order given to the constructor); else writes nothing.
     */
    boolean writeStartLineIfSame(ByteBuf out, Object first, Object second, Object third) {
        if (first != startLine[0] || second != startLine[1] || third != startLine[2]) {
            return false;
        }
        out.writeBytes(head, 0, startLineEnd);
        return true;
    }

    /**
     * For a message that came whole: {@code wire} holds its head (these bytes) and then its body as
     * they were read, and {@code body}, the message's content, is a slice of it that shares its
     * reference count. The message owns both through its content; they are not released here.
     */
    void cameWhole(ByteBuf wire, ByteBuf body) {
        this.wire = wire;
        this.body = body;
    }

    /**
     * Writes the message as the bytes it came in, each run of kept lines and then the body as a
     * slice of the buffer they were read into, when it came whole and is still as read, save
     * fields removed: its start line's parts are the very ones read (in the constructor's order),
     * nothing was added, and {@code content} is the body as made and unread. Else writes nothing
     * and returns false. Saves the encoders' buffer and the copies into it: a relayed request
     * otherwise costs a buffer from the allocator and a copy of every byte, per message and hop.
     */
    boolean relayAsRead(ChannelHandlerContext ctx, ByteBuf content, Object first, Object second, Object third) {
        if (wire == null || content != body || body.readerIndex() != 0 || body.writerIndex() != body.capacity()
                || (added != null && !added.isEmpty())
                || first != startLine[0] || second != startLine[1] || third != startLine[2]) {
            return false;
        }
        int from = 0;
        for (int i = 0; i < count; i++) {
            if (isRemoved(i)) {
                if (fields[4 * i] > from) {
                    ctx.write(wire.retainedSlice(from, fields[4 * i] - from), ctx.voidPromise());
                }
                from = i + 1 < count ? fields[4 * (i + 1)] : blockEnd;
            }
        }
        ctx.write(wire.retainedSlice(from, wire.writerIndex() - from), ctx.voidPromise());
        return true;
    }

    /** Writes the fields, each line ended by CRLF, as the encoders' {@code encodeHeaders} does. */
    void writeTo(ByteBuf out) {
        int from = count == 0 ? blockEnd : fields[0];
        for (int i = 0; i < count; i++) {
            if (isRemoved(i)) { // the run of kept lines before it goes out as it came
                out.writeBytes(head, from, fields[4 * i] - from);
                from = i + 1 < count ? fields[4 * (i + 1)] : blockEnd;
            }
        }
        out.writeBytes(head, from, blockEnd - from);
        if (added != null) {
            Iterator<Map.Entry<CharSequence, CharSequence>> it = added.iteratorCharSequence();
            while (it.hasNext()) {
                Map.Entry<CharSequence, CharSequence> field = it.next();
                out.writeCharSequence(field.getKey(), StandardCharsets.ISO_8859_1);
                out.writeByte(':').writeByte(' ');
                out.writeCharSequence(field.getValue(), StandardCharsets.ISO_8859_1);
                out.writeByte('\r').writeByte('\n');
            }
        }
    }

    private HttpHeaders added() {
        if (added == null) {
            added = DefaultHttpHeadersFactory.headersFactory().newHeaders(); // validates what the proxy adds
        }
        return added;
    }

    // --- HttpHeaders ---

    @Override
    public String get(String name) {
        return get((CharSequence) name);
    }

    @Override
    public String get(CharSequence name) {
        int i = first(name);
        if (i >= 0) {
            return valueString(i);
        }
        return added == null ? null : added.get(name);
    }

    /** The first value of {@code name} as {@code parse} reads it; null when absent or unreadable. */
    private <T> T parsed(CharSequence name, java.util.function.Function<String, T> parse) {
        String value = get(name);
        try {
            return value == null ? null : parse.apply(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public Integer getInt(CharSequence name) {
        return parsed(name, Integer::valueOf);
    }

    @Override
    public int getInt(CharSequence name, int defaultValue) {
        Integer value = getInt(name);
        return value == null ? defaultValue : value;
    }

    @Override
    public Short getShort(CharSequence name) {
        return parsed(name, Short::valueOf);
    }

    @Override
    public short getShort(CharSequence name, short defaultValue) {
        Short value = getShort(name);
        return value == null ? defaultValue : value;
    }

    @Override
    public Long getTimeMillis(CharSequence name) {
        java.util.Date date = parsed(name, DateFormatter::parseHttpDate);
        return date == null ? null : date.getTime();
    }

    @Override
    public long getTimeMillis(CharSequence name, long defaultValue) {
        Long value = getTimeMillis(name);
        return value == null ? defaultValue : value;
    }

    @Override
    public List<String> getAll(String name) {
        return getAll((CharSequence) name);
    }

    @Override
    public List<String> getAll(CharSequence name) {
        List<String> values = new ArrayList<>(2);
        for (int i = 0; i < count; i++) {
            if (!isRemoved(i) && nameIs(i, name)) {
                values.add(valueString(i));
            }
        }
        if (added != null) {
            values.addAll(added.getAll(name));
        }
        return values;
    }

    /** The values of {@code name} as views of the bytes they came in, found one by one (no list made). */
    @Override
    public Iterator<? extends CharSequence> valueCharSequenceIterator(CharSequence name) {
        return new Iterator<>() {
            private int next = nextNamed(0);
            private final Iterator<? extends CharSequence> later = added == null ? null : added.valueCharSequenceIterator(name);

            private int nextNamed(int from) {
                for (int i = from; i < count; i++) {
                    if (!isRemoved(i) && nameIs(i, name)) {
                        return i;
                    }
                }
                return count;
            }

            @Override
            public boolean hasNext() {
                return next < count || (later != null && later.hasNext());
            }

            @Override
            public CharSequence next() {
                if (next < count) {
                    int i = next;
                    next = nextNamed(i + 1);
                    return valueOf(i);
                }
                if (later == null) {
                    throw new NoSuchElementException();
                }
                return later.next();
            }
        };
    }

    @Override
    public List<Map.Entry<String, String>> entries() {
        List<Map.Entry<String, String>> entries = new ArrayList<>(size());
        iterator().forEachRemaining(entries::add);
        return entries;
    }

    @Override
    public boolean contains(String name) {
        return contains((CharSequence) name);
    }

    @Override
    public boolean contains(CharSequence name) {
        return first(name) >= 0 || (added != null && added.contains(name));
    }

    /** Whether a field {@code name} has the value {@code value} (ignoring surrounding whitespace), read in place. */
    @Override
    public boolean contains(CharSequence name, CharSequence value, boolean ignoreCase) {
        for (int i = 0; i < count; i++) {
            if (!isRemoved(i) && nameIs(i, name) && same(fields[4 * i + 2], fields[4 * i + 3], value, ignoreCase)) {
                return true;
            }
        }
        return added != null && added.contains(name, value, ignoreCase);
    }

    /** Whether a field {@code name} lists {@code value} among its comma-separated elements, read in place. */
    @Override
    public boolean containsValue(CharSequence name, CharSequence value, boolean ignoreCase) {
        for (int i = 0; i < count; i++) {
            if (isRemoved(i) || !nameIs(i, name)) {
                continue;
            }
            int end = fields[4 * i + 3];
            for (int from = fields[4 * i + 2]; from <= end; ) {
                int comma = nextComma(from, end);
                int a = trimStart(from, comma);
                if (same(a, trimEnd(a, comma), value, ignoreCase)) {
                    return true;
                }
                from = comma + 1;
            }
        }
        return added != null && added.containsValue(name, value, ignoreCase);
    }

    private int nextComma(int from, int end) {
        while (from < end && head[from] != ',') {
            from++;
        }
        return from;
    }

    private int trimStart(int from, int to) {
        while (from < to && (head[from] == ' ' || head[from] == '\t')) {
            from++;
        }
        return from;
    }

    private int trimEnd(int from, int to) {
        while (to > from && (head[to - 1] == ' ' || head[to - 1] == '\t')) {
            to--;
        }
        return to;
    }

    private boolean same(int from, int to, CharSequence text, boolean ignoreCase) {
        if (to - from != text.length()) {
            return false;
        }
        for (int k = 0; k < to - from; k++) {
            int c = head[from + k] & 0xff;
            int t = text.charAt(k);
            if (c != t && !(ignoreCase && lower(c) == lower(t))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Iterator<Map.Entry<String, String>> iterator() {
        Iterator<Map.Entry<CharSequence, CharSequence>> fields = iteratorCharSequence();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return fields.hasNext();
            }

            @Override
            public Map.Entry<String, String> next() {
                Map.Entry<CharSequence, CharSequence> field = fields.next();
                return new AbstractMap.SimpleImmutableEntry<>(field.getKey().toString(), field.getValue().toString());
            }
        };
    }

    @Override
    public Iterator<Map.Entry<CharSequence, CharSequence>> iteratorCharSequence() {
        return new Iterator<>() {
            private int next = skipRemoved(0);
            private final Iterator<Map.Entry<CharSequence, CharSequence>> later =
                    added == null ? null : added.iteratorCharSequence();

            private int skipRemoved(int i) {
                while (i < count && isRemoved(i)) {
                    i++;
                }
                return i;
            }

            @Override
            public boolean hasNext() {
                return next < count || (later != null && later.hasNext());
            }

            @Override
            public Map.Entry<CharSequence, CharSequence> next() {
                if (next < count) {
                    int i = next;
                    next = skipRemoved(i + 1);
                    return new AbstractMap.SimpleImmutableEntry<>(nameOf(i), valueOf(i));
                }
                if (later == null) {
                    throw new NoSuchElementException();
                }
                return later.next();
            }
        };
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public int size() {
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (!isRemoved(i)) {
                n++;
            }
        }
        return n + (added == null ? 0 : added.size());
    }

    @Override
    public Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < count; i++) {
            if (!isRemoved(i)) {
                names.add(nameOf(i).toString());
            }
        }
        if (added != null) {
            names.addAll(added.names());
        }
        return names;
    }

    @Override
    public HttpHeaders add(String name, Object value) {
        added().add(name, value);
        return this;
    }

    @Override
    public HttpHeaders add(CharSequence name, Object value) {
        added().add(name, value);
        return this;
    }

    @Override
    public HttpHeaders add(String name, Iterable<?> values) {
        added().add(name, values);
        return this;
    }

    @Override
    public HttpHeaders addInt(CharSequence name, int value) {
        added().addInt(name, value);
        return this;
    }

    @Override
    public HttpHeaders addShort(CharSequence name, short value) {
        added().addShort(name, value);
        return this;
    }

    @Override
    public HttpHeaders set(String name, Object value) {
        return set((CharSequence) name, value);
    }

    @Override
    public HttpHeaders set(CharSequence name, Object value) {
        removeWire(name);
        added().set(name, value);
        return this;
    }

    @Override
    public HttpHeaders set(String name, Iterable<?> values) {
        removeWire(name);
        added().set(name, values);
        return this;
    }

    @Override
    public HttpHeaders setInt(CharSequence name, int value) {
        removeWire(name);
        added().setInt(name, value);
        return this;
    }

    @Override
    public HttpHeaders setShort(CharSequence name, short value) {
        removeWire(name);
        added().setShort(name, value);
        return this;
    }

    @Override
    public HttpHeaders remove(String name) {
        return remove((CharSequence) name);
    }

    @Override
    public HttpHeaders remove(CharSequence name) {
        removeWire(name);
        if (added != null) {
            added.remove(name);
        }
        return this;
    }

    private void removeWire(CharSequence name) {
        for (int i = 0; i < count; i++) {
            if (!isRemoved(i) && nameIs(i, name)) {
                markRemoved(i);
            }
        }
    }

    @Override
    public HttpHeaders clear() {
        for (int i = 0; i < count; i++) {
            markRemoved(i);
        }
        if (added != null) {
            added.clear();
        }
        return this;
    }
}
