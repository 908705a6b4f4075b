package io.emojivoto.web;

import io.emojivoto.api.v1.Emoji;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The JSON API of the original emojivoto web service. */
@RestController
@RequestMapping(path = "/api", produces = "application/json")
public class ApiController {

    /** Longer choices cannot be emoji shortcodes; refusing them keeps junk out of gRPC and logs. */
    static final int MAX_CHOICE_LENGTH = 64;

    public record EmojiJson(String shortcode, String unicode) {
    }

    public record LeaderboardEntry(String shortcode, String unicode, long votes) {
    }

    public record ConfigJson(String traceUrlTemplate, String messageOfTheDay) {
    }

    private final EmojiClient emoji;
    private final VotingClient voting;
    private final Leaderboard leaderboard;
    private final WebProperties properties;

    ApiController(EmojiClient emoji, VotingClient voting, Leaderboard leaderboard, WebProperties properties) {
        this.emoji = emoji;
        this.voting = voting;
        this.leaderboard = leaderboard;
        this.properties = properties;
    }

    @GetMapping("/list")
    public List<EmojiJson> list() {
        return emoji.listAll().stream().map(e -> new EmojiJson(e.getShortcode(), e.getUnicode())).toList();
    }

    /** GET with ?choice= or POST with a form body, as in the original. */
    @RequestMapping(path = "/vote", method = {RequestMethod.GET, RequestMethod.POST})
    public EmojiJson vote(@RequestParam(name = "choice", required = false) String choice) {
        if (choice == null || choice.isBlank()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Emoji choice [] is mandatory");
        }
        if (choice.length() > MAX_CHOICE_LENGTH) {
            throw new ApiException(HttpStatus.BAD_REQUEST,
                    "Emoji choice is too long (" + choice.length() + " characters, at most " + MAX_CHOICE_LENGTH + ")");
        }
        Emoji chosen = emoji.findByShortcode(choice).orElseThrow(() ->
                new ApiException(HttpStatus.BAD_REQUEST, "Chosen emoji shortcode [" + choice + "] doesn't exist"));
        voting.vote(chosen.getShortcode());
        return new EmojiJson(chosen.getShortcode(), chosen.getUnicode());
    }

    /**
     * Results joined with their glyphs ({@link Leaderboard}), and the mode it was built in, for the page to name
     * ({@code hidden} when the switch was set blind).
     */
    @GetMapping("/leaderboard")
    public ResponseEntity<List<LeaderboardEntry>> leaderboard() {
        Leaderboard.Built built = leaderboard.build();
        return ResponseEntity.ok().header("X-Emojivoto-Leaderboard", built.modeShown()).body(built.entries());
    }

    @GetMapping("/config")
    public ConfigJson config() {
        return new ConfigJson(properties.traceUiUrl(), properties.messageOfTheDay());
    }

    static Map<String, String> error(String message) {
        return Map.of("error", message);
    }
}
