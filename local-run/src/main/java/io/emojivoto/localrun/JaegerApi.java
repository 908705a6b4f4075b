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
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads traces back through Jaeger's query API ({@code /api/traces/{id}}, the one its UI uses), and
 * turns each span back into the Zipkin v2 model the parts reported it in: the CHILD_OF reference is
 * the parent, the {@code span.kind} tag the kind, the process the service, logs the annotations.
 * Spans reach Jaeger through the collector, so the backend is healthy when both answer.
 */
public final class JaegerApi implements TraceQueryApi {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String baseUrl;
    private final List<String> healthUrls;

    /**
     * @param baseUrl    Jaeger's query API and UI, e.g. http://127.0.0.1:16686
     * @param healthUrls the collector's and Jaeger's health checks
     */
    public JaegerApi(String baseUrl, List<String> healthUrls) {
        this.baseUrl = baseUrl;
        this.healthUrls = List.copyOf(healthUrls);
    }

    @Override
    public String name() {
        return "Jaeger";
    }

    @Override
    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public boolean healthy() {
        return healthUrls.stream().allMatch(ManagedProcess::isHttpOk);
    }

    @Override
    public List<StoredSpan> trace(String traceId) {
        HttpResponse<String> response = get("/api/traces/" + traceId);
        if (response.statusCode() == 404) {
            return List.of();
        }
        List<StoredSpan> spans = new ArrayList<>();
        for (JsonNode trace : JSON.readTree(response.body()).path("data")) {
            trace.path("spans").forEach(span -> spans.add(span(span, trace.path("processes"))));
        }
        return spans;
    }

    @Override
    public List<List<StoredSpan>> recentTraces(String service, Duration within, int limit) {
        long nowMicros = System.currentTimeMillis() * 1000;
        return search("/api/traces?limit=" + limit + "&start=" + (nowMicros - within.toNanos() / 1000) + "&end=" + nowMicros
                + "&service=" + URLEncoder.encode(service, StandardCharsets.UTF_8));
    }

    @Override
    public List<List<StoredSpan>> tracesTagged(String service, String tag, String value, int limit) {
        String tags = "{\"" + tag + "\":\"" + value + "\"}"; // the UI's tag search, as JSON
        return search("/api/traces?lookback=1h&limit=" + limit + "&service=" + URLEncoder.encode(service, StandardCharsets.UTF_8)
                + "&tags=" + URLEncoder.encode(tags, StandardCharsets.UTF_8));
    }

    /** The traces a search of Jaeger's API finds, each as its spans. */
    private List<List<StoredSpan>> search(String query) {
        List<List<StoredSpan>> traces = new ArrayList<>();
        for (JsonNode trace : JSON.readTree(get(query).body()).path("data")) {
            List<StoredSpan> spans = new ArrayList<>();
            trace.path("spans").forEach(span -> spans.add(span(span, trace.path("processes"))));
            traces.add(spans);
        }
        return traces;
    }

    /** Services Jaeger has seen spans of. */
    public List<String> services() {
        List<String> names = new ArrayList<>();
        JSON.readTree(get("/api/services").body()).path("data").forEach(n -> names.add(n.asString()));
        return names;
    }

    private static StoredSpan span(JsonNode span, JsonNode processes) {
        String parent = null;
        for (JsonNode reference : span.path("references")) {
            if (reference.path("refType").asString().equals("CHILD_OF")) {
                parent = reference.path("spanID").asString();
                break;
            }
        }
        Map<String, String> tags = new LinkedHashMap<>();
        String kind = null;
        for (JsonNode tag : span.path("tags")) {
            String key = tag.path("key").asString();
            String value = tag.path("value").asString();
            if (key.equals("span.kind")) {
                kind = value.toUpperCase(Locale.ROOT);
            } else {
                tags.putIfAbsent(key, value); // "error" comes as the reported text, then as Jaeger's boolean
            }
        }
        List<String> annotations = new ArrayList<>();
        for (JsonNode log : span.path("logs")) {
            for (JsonNode field : log.path("fields")) {
                if (field.path("key").asString().equals("event")) {
                    annotations.add(field.path("value").asString());
                }
            }
        }
        return new StoredSpan(span.path("traceID").asString(), span.path("spanID").asString(), parent, kind,
                span.path("operationName").asString(""),
                processes.path(span.path("processID").asString()).path("serviceName").asString(""),
                span.path("startTime").asLong(), span.path("duration").asLong(), tags, annotations);
    }

    private HttpResponse<String> get(String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200 && response.statusCode() != 404) {
                throw new Unavailable("Jaeger at " + baseUrl + " answered " + response.statusCode() + " to " + path, null);
            }
            return response;
        } catch (IOException e) {
            throw new Unavailable("Jaeger at " + baseUrl + " did not answer " + path + " (" + e + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while asking Jaeger for " + path, e);
        }
    }
}
