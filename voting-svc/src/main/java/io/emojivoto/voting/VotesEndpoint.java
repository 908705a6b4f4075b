package io.emojivoto.voting;

import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.stereotype.Component;

/**
 * {@code DELETE /actuator/votes} on the management port (never through the ingress): the poll starts
 * again from nothing, so that a lab after {@code ./emojivoto reset} reads a leaderboard of its own votes,
 * not of every vote the bot has cast. Not a gRPC method: VotingService's protocol stays the original's.
 */
@Component
@Endpoint(id = "votes")
class VotesEndpoint {

    private final Poll poll;

    VotesEndpoint(Poll poll) {
        this.poll = poll;
    }

    @DeleteOperation
    Map<String, Object> clear() {
        poll.clear();
        return Map.of("emoji with votes", poll.results().size());
    }
}
