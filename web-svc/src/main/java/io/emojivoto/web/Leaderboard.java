package io.emojivoto.web;

import io.emojivoto.api.v1.Emoji;
import io.emojivoto.api.v1.VotingResult;
import io.emojivoto.spanvocabulary.SpanVocabulary;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * The leaderboard: voting-svc's results joined with emoji-svc's glyphs. The join is wrapped in a span
 * of web-svc's own, made with Micrometer's Observation API, which is all it takes: the gRPC calls made
 * inside it become its children, so a trace shows at a glance how many calls the join cost.
 */
@Component
class Leaderboard {

    private final EmojiClient emoji;
    private final VotingClient voting;
    private final WebFaults faults;
    private final ObservationRegistry observations;

    Leaderboard(EmojiClient emoji, VotingClient voting, WebFaults faults, ObservationRegistry observations) {
        this.emoji = emoji;
        this.voting = voting;
        this.faults = faults;
        this.observations = observations;
    }

    /** The board, and the mode as the page may name it: the switch's value, or "hidden" when it was set blind. */
    record Built(List<ApiController.LeaderboardEntry> entries, String modeShown) {
    }

    Built build() {
        List<VotingResult> results = voting.results();
        String mode = faults.leaderboard.get();
        String shown = faults.leaderboard.hidden() ? "hidden" : mode;
        // Notice: a span is an observation started and stopped around the work. Its name becomes the span's
        // name, a low-cardinality key value becomes a tag (and a metric's tag: keep them few-valued).
        List<ApiController.LeaderboardEntry> entries = Observation.createNotStarted("leaderboard.join", observations)
                .contextualName(SpanVocabulary.Name.LEADERBOARD_JOIN)
                .lowCardinalityKeyValue(SpanVocabulary.LEADERBOARD, shown)
                .observe(() -> WebFaults.BATCHED.equals(mode) ? batched(results) : perEmoji(results));
        return new Built(entries, shown);
    }

    /** One FindByShortcode per result: N+1 calls, each a span (and a round trip through two proxies). */
    private List<ApiController.LeaderboardEntry> perEmoji(List<VotingResult> results) {
        List<ApiController.LeaderboardEntry> board = new ArrayList<>();
        for (VotingResult result : results) {
            emoji.findByShortcode(result.getShortcode()).ifPresent(e -> board.add(entry(e, result)));
        }
        return board;
    }

    /** One ListAll, joined here: two calls, whatever the number of results. */
    private List<ApiController.LeaderboardEntry> batched(List<VotingResult> results) {
        Map<String, Emoji> byShortcode = emoji.listAll().stream().collect(Collectors.toMap(Emoji::getShortcode, Function.identity()));
        List<ApiController.LeaderboardEntry> board = new ArrayList<>();
        for (VotingResult result : results) {
            Emoji found = byShortcode.get(result.getShortcode());
            if (found != null) {
                board.add(entry(found, result));
            }
        }
        return board;
    }

    private static ApiController.LeaderboardEntry entry(Emoji emoji, VotingResult result) {
        return new ApiController.LeaderboardEntry(emoji.getShortcode(), emoji.getUnicode(), result.getVotes());
    }
}
