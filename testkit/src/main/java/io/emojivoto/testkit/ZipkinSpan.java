package io.emojivoto.testkit;

import java.util.Map;

/** The fields of a Zipkin v2 span that the tests look at. */
public record ZipkinSpan(String traceId, String id, String parentId, String kind, String name, String serviceName,
                         long timestamp, long duration, Map<String, String> tags) {

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
