package io.emojivoto.web;

import io.emojivoto.switches.Switch;
import io.emojivoto.switches.Switches;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * web-svc's runtime switch {@code leaderboard}: {@code per-emoji} (one FindByShortcode per result: the
 * N+1 calls a trace makes obvious) or {@code batched} (one ListAll, joined here): the fix a learner
 * applies after finding the N+1 in a trace, and sees in the next one.
 */
@Component
class WebFaults {

    static final String PER_EMOJI = "per-emoji";
    static final String BATCHED = "batched";

    final Switch<String> leaderboard;

    WebFaults(Switches switches) {
        this.leaderboard = switches.add(Switch.choice("leaderboard", PER_EMOJI, List.of(PER_EMOJI, BATCHED)));
    }
}
