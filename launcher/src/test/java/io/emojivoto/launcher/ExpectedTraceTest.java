package io.emojivoto.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.emojivoto.localrun.StoredSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checker on hand-made traces: it accepts the tree of contract 5 and names what a partial one misses. */
class ExpectedTraceTest {

    private static StoredSpan span(String id, String parent, String service, String kind, String name) {
        return new StoredSpan("t", id, parent, kind, name, service, 0, 1, Map.of());
    }

    /** ingress → web-svc-proxy → web-svc → (find, vote) each through both proxies to the app. */
    static List<StoredSpan> completeVote() {
        List<StoredSpan> spans = new ArrayList<>(List.of(
                span("1", null, "ingress", "SERVER", "get /api/vote"),
                span("2", "1", "web-svc-proxy", "SERVER", "get /api/vote"),
                span("3", "2", "web-svc", "SERVER", "GET /api/vote"),
                span("4", "3", "web-svc", "CLIENT", "emojivoto.v1.emojiservice/findbyshortcode"),
                span("5", "4", "web-svc-proxy", "CLIENT", "post /emojivoto.v1.emojiservice/findbyshortcode"),
                span("6", "5", "emoji-svc-proxy", "SERVER", "post /emojivoto.v1.emojiservice/findbyshortcode"),
                span("7", "6", "emoji-svc", "SERVER", "emojivoto.v1.emojiservice/findbyshortcode"),
                span("8", "3", "web-svc", "CLIENT", "emojivoto.v1.votingservice/votejoy"),
                span("9", "8", "web-svc-proxy", "CLIENT", "post /emojivoto.v1.votingservice/votejoy"),
                span("a", "9", "voting-svc-proxy", "SERVER", "post /emojivoto.v1.votingservice/votejoy"),
                new StoredSpan("t", "b", "a", "SERVER", "emojivoto.v1.votingservice/votejoy", "voting-svc", 0, 1,
                        Map.of("emojivoto.emoji", ":joy:"), List.of("vote counted"))));
        return spans;
    }

    @Test
    void the_tree_of_contract_5_is_complete() {
        assertThat(ExpectedTrace.problems(completeVote(), "/api/vote", 200)).isEmpty();
    }

    @Test
    void a_missing_hop_is_named() {
        List<StoredSpan> spans = completeVote();
        spans.removeIf(s -> s.id().equals("b"));
        assertThat(ExpectedTrace.problems(spans, "/api/vote", 200))
                .containsExactly("voting-svc-proxy SERVER 'post /emojivoto.v1.votingservice/votejoy': missing hop voting-svc SERVER");
    }

    @Test
    void a_span_whose_parent_is_absent_is_named() {
        List<StoredSpan> spans = completeVote();
        spans.removeIf(s -> s.id().equals("2"));
        assertThat(ExpectedTrace.problems(spans, "/api/vote", 200)).contains(
                "web-svc SERVER 'GET /api/vote': its parent 2 is absent",
                "ingress SERVER 'get /api/vote': missing hop web-svc-proxy SERVER");
    }

    @Test
    void a_missing_call_and_a_wrong_root_are_named() {
        List<StoredSpan> spans = completeVote();
        spans.removeIf(s -> List.of("8", "9", "a", "b").contains(s.id()));
        assertThat(ExpectedTrace.problems(spans, "/api/vote", 200)).containsExactly(
                "web-svc CLIENT emojivoto.v1.VotingService/Vote* is missing");
        List<StoredSpan> rootless = completeVote();
        rootless.removeIf(s -> s.id().equals("1"));
        assertThat(ExpectedTrace.problems(rootless, "/api/vote", 200)).anyMatch(p -> p.contains("parent 1 is absent"));
        assertThat(ExpectedTrace.problems(List.of(), "/api/list", 200)).containsExactly("no spans at all");
    }

    @Test
    void an_edge_that_skips_a_hop_is_named() {
        List<StoredSpan> spans = completeVote();
        spans.removeIf(s -> s.id().equals("5"));
        spans.add(span("5", "4", "web-svc", "CLIENT", "x")); // parent fine, but the proxy hop is gone
        spans.removeIf(s -> s.id().equals("6"));
        spans.add(span("6", "4", "emoji-svc-proxy", "SERVER", "post /emojivoto.v1.emojiservice/findbyshortcode"));
        assertThat(ExpectedTrace.problems(spans, "/api/vote", 200))
                .anyMatch(p -> p.startsWith("emoji-svc-proxy SERVER") && p.contains("unexpected parent"));
    }

    @Test
    void a_hop_missing_below_a_span_that_recorded_the_failure_is_where_a_failed_call_ended() {
        List<StoredSpan> spans = completeVote();
        spans.removeIf(s -> List.of("a", "b").contains(s.id())); // voting-svc-proxy was down
        spans.removeIf(s -> s.id().equals("9"));
        spans.add(new StoredSpan("t", "9", "8", "CLIENT", "post /emojivoto.v1.votingservice/votejoy", "web-svc-proxy", 0, 1,
                Map.of("error", "upstream 127.0.0.1:8083 unreachable")));
        assertThat(ExpectedTrace.judge(spans, "/api/vote", 503)).singleElement().satisfies(problem -> {
            assertThat(problem.kind()).isEqualTo(ExpectedTrace.ProblemKind.MISSING_HOP);
            assertThat(problem.afterFailure()).isTrue();
            assertThat(problem.summary()).isEqualTo("web-svc-proxy CLIENT: missing hop voting-svc-proxy SERVER");
        });
    }

    @Test
    void every_fact_of_the_tree_comes_from_its_edge_list() {
        assertThat(ExpectedTrace.SERVICES).containsExactly("ingress", "web-svc-proxy", "web-svc", "emoji-svc-proxy",
                "voting-svc-proxy", "emoji-svc", "voting-svc");
        assertThat(ExpectedTrace.DEPENDENCY_EDGES).containsExactly("ingress->web-svc-proxy", "web-svc-proxy->web-svc",
                "web-svc-proxy->emoji-svc-proxy", "web-svc-proxy->voting-svc-proxy", "emoji-svc-proxy->emoji-svc",
                "voting-svc-proxy->voting-svc");
        assertThat(ExpectedTrace.allowedParents(ExpectedTrace.EMOJI_PROXY)).containsExactly(ExpectedTrace.WEB_PROXY_OUT);
        StoredSpan toVoting = span("9", "8", "web-svc-proxy", "CLIENT", "post /emojivoto.v1.votingservice/votejoy");
        assertThat(ExpectedTrace.nextHops(toVoting)).containsExactly(ExpectedTrace.VOTING_PROXY);
    }

    @Test
    void a_vote_span_without_what_voting_svc_adds_to_it_is_named() {
        List<StoredSpan> spans = completeVote();
        spans.removeIf(s -> s.id().equals("b"));
        spans.add(span("b", "a", "voting-svc", "SERVER", "emojivoto.v1.votingservice/votejoy"));
        assertThat(ExpectedTrace.problems(spans, "/api/vote", 200)).containsExactly(
                "voting-svc SERVER 'emojivoto.v1.votingservice/votejoy': no tag emojivoto.emoji",
                "voting-svc SERVER 'emojivoto.v1.votingservice/votejoy': no event 'vote counted'");
    }

    @Test
    void a_leaderboard_has_its_join_span_with_the_emoji_calls_under_it() {
        List<StoredSpan> spans = new ArrayList<>(List.of(
                span("1", null, "ingress", "SERVER", "get /api/leaderboard"),
                span("2", "1", "web-svc-proxy", "SERVER", "get /api/leaderboard"),
                span("3", "2", "web-svc", "SERVER", "GET /api/leaderboard"),
                span("4", "3", "web-svc", "CLIENT", "emojivoto.v1.votingservice/results"),
                span("5", "4", "web-svc-proxy", "CLIENT", "post /emojivoto.v1.votingservice/results"),
                span("6", "5", "voting-svc-proxy", "SERVER", "post /emojivoto.v1.votingservice/results"),
                span("7", "6", "voting-svc", "SERVER", "emojivoto.v1.votingservice/results"),
                span("8", "3", "web-svc", null, "leaderboard join"),
                span("9", "8", "web-svc", "CLIENT", "emojivoto.v1.emojiservice/listall"),
                span("a", "9", "web-svc-proxy", "CLIENT", "post /emojivoto.v1.emojiservice/listall"),
                span("b", "a", "emoji-svc-proxy", "SERVER", "post /emojivoto.v1.emojiservice/listall"),
                span("c", "b", "emoji-svc", "SERVER", "emojivoto.v1.emojiservice/listall")));
        assertThat(ExpectedTrace.problems(spans, "/api/leaderboard", 200)).isEmpty();
        spans.removeIf(s -> s.id().equals("8"));
        assertThat(ExpectedTrace.problems(spans, "/api/leaderboard", 200))
                .contains("web-svc CLIENT 'emojivoto.v1.emojiservice/listall': its parent 8 is absent",
                        "web-svc's span 'leaderboard join' is missing");
    }

    @Test
    void a_proxy_that_forwards_the_incoming_span_id_is_the_suspect() {
        List<StoredSpan> spans = completeVote();
        spans.removeIf(s -> s.id().equals("b"));
        spans.add(new StoredSpan("t", "b", "9", "SERVER", "emojivoto.v1.votingservice/votejoy", "voting-svc", 0, 1,
                Map.of("emojivoto.emoji", ":joy:"), List.of("vote counted"))); // parent: web-svc-proxy's CLIENT span
        List<ExpectedTrace.Problem> problems = ExpectedTrace.judge(spans, "/api/vote", 200);
        assertThat(problems).extracting(ExpectedTrace.Problem::summary).containsExactlyInAnyOrder(
                "voting-svc SERVER under web-svc-proxy CLIENT, skipping a hop",
                "voting-svc-proxy SERVER: missing hop voting-svc SERVER");
        assertThat(ExpectedTrace.suspects(problems)).containsExactly("voting-svc-proxy");
    }
}
