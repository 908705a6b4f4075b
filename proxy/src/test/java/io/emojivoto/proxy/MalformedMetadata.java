package io.emojivoto.proxy;

import io.emojivoto.tracecontext.MalformedTraceHeaders;
import io.grpc.Metadata;
import java.util.ArrayList;
import java.util.List;

/** {@link MalformedTraceHeaders}' invalid trace contexts as gRPC metadata, for calls through the proxy. */
final class MalformedMetadata {

    private MalformedMetadata() {
    }

    static List<Metadata> generate() {
        List<Metadata> all = new ArrayList<>();
        for (String[] pairs : MalformedTraceHeaders.asPairs()) {
            Metadata m = new Metadata();
            for (int i = 0; i < pairs.length; i += 2) {
                m.put(Metadata.Key.of(pairs[i], Metadata.ASCII_STRING_MARSHALLER), pairs[i + 1]);
            }
            all.add(m);
        }
        return all;
    }
}
