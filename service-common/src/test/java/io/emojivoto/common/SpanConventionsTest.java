package io.emojivoto.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The tags web-svc's HTTP server span and the services' gRPC spans carry, as docs/spans.md lists them. */
class SpanConventionsTest {

    private final SpanConventions.HttpServerConvention http = new SpanConventions.HttpServerConvention();

    @Test
    void aServedRequestCarriesTheConventionsTagsAndNothingElse() {
        ServerRequestObservationContext context = served("GET", "/api/vote", 200);

        assertThat(tags(context)).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "http.request.method", "GET",
                "http.response.status_code", "200",
                "http.route", "/api/vote",
                "url.path", "/api/vote",
                "url.scheme", "http")));
    }

    @Test
    void aServerErrorWithoutAnExceptionIsMarkedByItsStatus() {
        Map<String, String> tags = tags(served("GET", "/api/vote", 500));

        assertThat(tags).containsEntry("error.type", "500").containsEntry("error", "500");
    }

    @Test
    void anExceptionNamesTheErrorTypeAndLeavesTheErrorTagToTheTracer() {
        assertThat(tags(failedByAnException())).containsEntry("error.type", "java.lang.IllegalStateException").doesNotContainKey("error");
    }

    @Test
    void theMetricsTagsAreTheSameKeysForEveryRequest() {
        assertThat(List.of(served("GET", "/api/vote", 200), served("GET", "/api/vote", 500), failedByAnException(),
                served("BREW", "/api/vote", 405)))
                .map(context -> asMap(http.getLowCardinalityKeyValues(context)).keySet())
                .containsOnly(Set.of("http.request.method", "http.response.status_code", "http.route", "url.scheme"));
    }

    @Test
    void aMethodThatIsNotHttpsIsOtherWithTheOriginalBeside() {
        Map<String, String> tags = tags(served("BREW", "/api/vote", 405));

        assertThat(tags).containsEntry("http.request.method", "_OTHER").containsEntry("http.request.method_original", "BREW");
    }

    @Test
    void grpcSpansSayTheStatusAsItsNumberWithoutMicrometersCallType() {
        KeyValues micrometers = KeyValues.of("grpc.status_code", "UNKNOWN", "rpc.type", "UNARY",
                "rpc.method", "VoteJoy", "net.peer.name", "voting-svc", "net.peer.port", "8083");

        assertThat(asMap(SpanConventions.semantic(micrometers))).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "rpc.grpc.status_code", "2",
                "rpc.method", "VoteJoy",
                "rpc.system", "grpc",
                "server.address", "voting-svc",
                "server.port", "8083")));
    }

    private static ServerRequestObservationContext failedByAnException() {
        ServerRequestObservationContext context = served("GET", "/api/vote", 500);
        context.setError(new IllegalStateException("boom"));
        return context;
    }

    private static ServerRequestObservationContext served(String method, String path, int status) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        MockHttpServletResponse response = new MockHttpServletResponse();
        response.setStatus(status);
        ServerRequestObservationContext context = new ServerRequestObservationContext(request, response);
        context.setPathPattern(path);
        return context;
    }

    private Map<String, String> tags(ServerRequestObservationContext context) {
        Map<String, String> tags = asMap(http.getLowCardinalityKeyValues(context));
        tags.putAll(asMap(http.getHighCardinalityKeyValues(context)));
        return tags;
    }

    private static Map<String, String> asMap(KeyValues values) {
        Map<String, String> map = new TreeMap<>();
        for (KeyValue value : values) {
            map.put(value.getKey(), value.getValue());
        }
        return map;
    }
}
