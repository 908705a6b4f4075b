package io.emojivoto.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** web-svc's HTTP API against real emoji-svc and voting-svc processes on real ports. */
@ExtendWith(Backends.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebApiTest {

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        Backends.register(registry);
    }

    @LocalServerPort
    int port;

    private Http http() {
        return new Http(port);
    }

    private long votesOf(String shortcode) {
        for (JsonNode entry : Http.json(http().get("/api/leaderboard"))) {
            if (entry.path("shortcode").asString().equals(shortcode)) {
                return entry.path("votes").asLong();
            }
        }
        return 0;
    }

    @Test
    void list_returns_the_99_emoji_as_json() {
        HttpResponse<String> response = http().get("/api/list");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode list = Http.json(response);
        assertThat(list).hasSize(99);
        assertThat(list.get(0).path("shortcode").asString()).isEqualTo(":joy:");
        assertThat(list.get(0).path("unicode").asString()).isEqualTo("\uD83D\uDE02");
        assertThat(list.get(98).path("shortcode").asString()).isEqualTo(":poop:");
    }

    @Test
    void a_get_vote_is_counted_and_shown_on_the_leaderboard() {
        long before = votesOf(":sunglasses:");
        HttpResponse<String> response = http().get("/api/vote?choice=:sunglasses:");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Http.json(response).path("shortcode").asString()).isEqualTo(":sunglasses:");
        assertThat(votesOf(":sunglasses:")).isEqualTo(before + 1);
    }

    @Test
    void a_post_vote_with_a_form_body_is_counted() {
        long before = votesOf(":ghost:");
        assertThat(http().postForm("/api/vote", "choice=%3Aghost%3A").statusCode()).isEqualTo(200);
        assertThat(votesOf(":ghost:")).isEqualTo(before + 1);
    }

    @Test
    void the_leaderboard_has_numeric_votes_most_first_with_glyphs() {
        for (int i = 0; i < 3; i++) {
            http().get("/api/vote?choice=:pizza:");
        }
        JsonNode board = Http.json(http().get("/api/leaderboard"));
        List<Long> votes = new ArrayList<>();
        for (JsonNode entry : board) {
            assertThat(entry.path("votes").isNumber()).as("votes is a JSON number").isTrue();
            assertThat(entry.path("unicode").asString()).isNotEmpty();
            votes.add(entry.path("votes").asLong());
        }
        assertThat(votes).isNotEmpty().isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(votesOf(":pizza:")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void a_missing_choice_is_a_400_with_a_json_error() {
        for (String path : new String[] {"/api/vote", "/api/vote?choice=", "/api/vote?choice=%20"}) {
            HttpResponse<String> response = http().get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(Http.json(response).path("error").asString()).isEqualTo("Emoji choice [] is mandatory");
        }
    }

    @Test
    void an_unknown_choice_is_a_400_with_a_json_error_and_counts_nothing() {
        HttpResponse<String> response = http().get("/api/vote?choice=:not_an_emoji:");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Http.json(response).path("error").asString()).isEqualTo("Chosen emoji shortcode [:not_an_emoji:] doesn't exist");
        assertThat(http().get("/api/vote?choice=:relaxed:").statusCode()).as("retired emoji").isEqualTo(400);
        assertThat(http().get("/api/vote?choice=%3Cscript%3E").statusCode()).isEqualTo(400);
        assertThat(http().get("/api/vote?choice=" + "x".repeat(500)).statusCode()).isEqualTo(400);
    }

    @Test
    void a_doughnut_vote_is_a_500_with_a_json_error_and_is_not_counted() {
        HttpResponse<String> response = http().get("/api/vote?choice=:doughnut:");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(Http.json(response).path("error").asString()).startsWith("rpc error: code = UNKNOWN");
        assertThat(votesOf(":doughnut:")).isZero();
    }

    @Test
    void the_ui_is_served_at_its_routes() {
        for (String path : new String[] {"/", "/leaderboard"}) {
            HttpResponse<String> page = http().get(path, "Accept", "text/html");
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.body()).contains("<title>Emoji Vote</title>", "/app.js");
        }
        assertThat(http().get("/app.js").statusCode()).isEqualTo(200);
        assertThat(http().get("/style.css").statusCode()).isEqualTo(200);
    }

    @Test
    void unknown_paths_and_methods_get_json_errors() {
        HttpResponse<String> missing = http().get("/api/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(Http.json(missing).path("error").asString()).contains("api/nope");
        HttpResponse<String> delete = http().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/vote")).DELETE());
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(Http.json(delete).path("error").asString()).contains("DELETE");
    }

    @Test
    void every_response_carries_the_trace_id_of_its_request() {
        String traceId = "463ac35c9f6413ad48485a3953bb6124";
        HttpResponse<String> response = http().get("/api/list",
                "X-B3-TraceId", traceId, "X-B3-SpanId", "a2fb4a1d1a96d312", "X-B3-Sampled", "0");
        assertThat(response.headers().firstValue("X-B3-TraceId")).hasValue(traceId);
        assertThat(response.headers().firstValue("X-B3-Sampled")).hasValue("0");
        HttpResponse<String> noContext = http().get("/api/list");
        assertThat(noContext.headers().firstValue("X-B3-TraceId")).hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]{32}"));
        assertThat(noContext.headers().firstValue("X-B3-Sampled")).as("services never start a sampled trace").hasValue("0");
    }

    @Test
    void malformed_trace_headers_never_fail_a_request() {
        String[][] bad = {
                {"X-B3-TraceId", "not-hex", "X-B3-SpanId", "a2fb4a1d1a96d312", "X-B3-Sampled", "1"},
                {"X-B3-TraceId", "463ac35c9f6413ad48485a3953bb6124", "X-B3-SpanId", "xyz", "X-B3-Sampled", "1"},
                {"X-B3-TraceId", "0".repeat(32), "X-B3-SpanId", "0".repeat(16), "X-B3-Sampled", "1"},
                {"b3", "garbage-in-the-b3-header", "X-B3-Sampled", "maybe"},
                {"traceparent", "ff-00000000000000000000000000000000-0000000000000000-zz"},
        };
        for (String[] headers : bad) {
            assertThat(http().get("/api/list", headers).statusCode()).as(String.join(" ", headers)).isEqualTo(200);
        }
    }

    @Test
    void oversized_requests_get_a_4xx_not_a_crash() {
        HttpResponse<String> hugeHeader = http().get("/api/list", "X-Junk", "x".repeat(40_000));
        assertThat(hugeHeader.statusCode()).isBetween(400, 499);
        HttpResponse<String> hugeForm = http().postForm("/api/vote", "choice=" + "x".repeat(100_000));
        assertThat(hugeForm.statusCode()).isBetween(400, 499);
        assertThat(http().get("/api/list").statusCode()).as("still serving").isEqualTo(200);
    }
}
