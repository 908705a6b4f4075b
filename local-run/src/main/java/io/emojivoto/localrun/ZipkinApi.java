package io.emojivoto.localrun;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads traces back through Zipkin's v2 HTTP API, the way a person's tools would. */
public final class ZipkinApi implements TraceQueryApi {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String baseUrl;

    public ZipkinApi(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    @Override
    public String name() {
        return "Zipkin";
    }

    @Override
    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public boolean healthy() {
        return ManagedProcess.isHttpOk(baseUrl + "/health");
    }

    @Override
    public List<StoredSpan> trace(String traceId) {
        HttpResponse<String> response = get("/api/v2/trace/" + traceId);
        if (response.statusCode() == 404) {
            return List.of();
        }
        return spans(parse(response));
    }

    @Override
    public List<List<StoredSpan>> recentTraces(String serviceName, Duration within, int limit) {
        String query = "/api/v2/traces?limit=" + limit + "&endTs=" + System.currentTimeMillis() + "&lookback=" + within.toMillis()
                + "&serviceName=" + URLEncoder.encode(serviceName, StandardCharsets.UTF_8);
        List<List<StoredSpan>> traces = new ArrayList<>();
        for (JsonNode trace : parse(get(query))) {
            traces.add(spans(trace));
        }
        return traces;
    }

    /**
     * Recent traces of {@code serviceName} with a span tagged as {@code tagQuery} says ("client=browser"):
     * the search the Zipkin UI makes from its "tag" field.
     */
    public List<List<StoredSpan>> tracesTagged(String serviceName, String tagQuery, int limit) {
        String query = "/api/v2/traces?limit=" + limit + "&lookback=3600000&serviceName="
                + URLEncoder.encode(serviceName, StandardCharsets.UTF_8) + "&annotationQuery=" + URLEncoder.encode(tagQuery, StandardCharsets.UTF_8);
        List<List<StoredSpan>> traces = new ArrayList<>();
        for (JsonNode trace : parse(get(query))) {
            traces.add(spans(trace));
        }
        return traces;
    }

    @Override
    public List<List<StoredSpan>> tracesTagged(String service, String tag, String value, int limit) {
        return tracesTagged(service, tag + "=" + value, limit);
    }

    public List<String> services() {
        List<String> names = new ArrayList<>();
        parse(get("/api/v2/services")).forEach(n -> names.add(n.asString()));
        return names;
    }

    /** Edges of the dependency graph as "parent->child" with their call counts. */
    public Map<String, Long> dependencies() {
        long now = System.currentTimeMillis();
        Map<String, Long> edges = new LinkedHashMap<>();
        for (JsonNode link : parse(get("/api/v2/dependencies?endTs=" + now + "&lookback=3600000"))) {
            edges.put(link.path("parent").asString() + "->" + link.path("child").asString(), link.path("callCount").asLong());
        }
        return edges;
    }

    private HttpResponse<String> get(String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200 && response.statusCode() != 404) {
                throw new Unavailable("Zipkin at " + baseUrl + " answered " + response.statusCode() + " to " + path, null);
            }
            return response;
        } catch (IOException e) {
            throw new Unavailable("Zipkin at " + baseUrl + " did not answer " + path + " (" + e + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while asking Zipkin for " + path, e);
        }
    }

    private static JsonNode parse(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    private static List<StoredSpan> spans(JsonNode array) {
        List<StoredSpan> spans = new ArrayList<>();
        for (JsonNode span : array) {
            Map<String, String> tags = new LinkedHashMap<>();
            span.path("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asString()));
            List<String> annotations = new ArrayList<>();
            span.path("annotations").forEach(a -> annotations.add(a.path("value").asString()));
            spans.add(new StoredSpan(
                    span.path("traceId").asString(),
                    span.path("id").asString(),
                    span.hasNonNull("parentId") ? span.get("parentId").asString() : null,
                    span.hasNonNull("kind") ? span.get("kind").asString() : null,
                    span.path("name").asString(""),
                    span.path("localEndpoint").path("serviceName").asString(""),
                    span.path("timestamp").asLong(),
                    span.path("duration").asLong(),
                    tags,
                    annotations));
        }
        return spans;
    }
}
