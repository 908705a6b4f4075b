package io.emojivoto.localrun;

import java.util.List;
import java.util.Map;

/**
 * The fields of a span that the checker and the tests look at, in the Zipkin v2 model every part
 * reports in. {@code kind} is null for a local span (one that is neither a server nor a client).
 */
public record StoredSpan(String traceId, String id, String parentId, String kind, String name, String serviceName,
                         long timestamp, long duration, Map<String, String> tags, List<String> annotations) {

    /** A span without annotations (events). */
    public StoredSpan(String traceId, String id, String parentId, String kind, String name, String serviceName,
                      long timestamp, long duration, Map<String, String> tags) {
        this(traceId, id, parentId, kind, name, serviceName, timestamp, duration, tags, List.of());
    }

    public boolean isRoot() {
        return parentId == null;
    }

    public String tag(String key) {
        return tags.get(key);
    }

    @Override
    public String toString() {
        return serviceName + " " + kind + " '" + name + "' id=" + id + " parent=" + parentId;
    }
}
