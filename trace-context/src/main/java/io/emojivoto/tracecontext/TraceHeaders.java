package io.emojivoto.tracecontext;

import java.util.List;
import java.util.function.Function;

/**
 * The header fields of one request, as the readers of this package see them: every value of a field,
 * setting one, removing one, by name. Names are given in lowercase and matched without regard to case,
 * as HTTP/1.1 and gRPC metadata both do. The proxy implements it over Netty's headers without copying
 * them; the services over a servlet request's headers or a gRPC call's metadata.
 */
public interface TraceHeaders {

    /** Every value of the field {@code name}, in the order they came; an empty list when there is none. */
    List<? extends CharSequence> getAll(String name);

    /** Replaces every field {@code name} with one of this value. */
    void set(String name, String value);

    /** Removes every field {@code name}. */
    void remove(String name);

    /**
     * A view for reading only, over whatever gives a field's values by name: a servlet request's
     * headers, a gRPC call's metadata. {@link TraceContextHeaders#parse} reads; only a rewrite would set.
     */
    static TraceHeaders readOnly(Function<String, List<? extends CharSequence>> getAll) {
        return new TraceHeaders() {
            @Override
            public List<? extends CharSequence> getAll(String name) {
                return getAll.apply(name);
            }

            @Override
            public void set(String name, String value) {
                throw new UnsupportedOperationException("read-only headers");
            }

            @Override
            public void remove(String name) {
                throw new UnsupportedOperationException("read-only headers");
            }
        };
    }
}
