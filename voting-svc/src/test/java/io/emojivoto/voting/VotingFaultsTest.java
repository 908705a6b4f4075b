package io.emojivoto.voting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emojivoto.api.v1.ResultsRequest;
import io.emojivoto.api.v1.VoteRequest;
import io.emojivoto.api.v1.VotingResult;
import io.emojivoto.api.v1.VotingServiceGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** FAILURE_RATE and ARTIFICIAL_DELAY, each on a voting-svc started with that setting. */
class VotingFaultsTest {

    private static long doughnutVotes(VotingServiceGrpc.VotingServiceBlockingStub voting) {
        return voting.results(ResultsRequest.getDefaultInstance()).getResultsList().stream()
                .filter(r -> r.getShortcode().equals(":doughnut:")).mapToLong(VotingResult::getVotes).sum();
    }

    @Test
    void failure_rate_zero_counts_every_doughnut() {
        try (VotingServer server = new VotingServer("voting.failure-rate=0")) {
            var voting = VotingServiceGrpc.newBlockingStub(server.channel);
            for (int i = 0; i < 20; i++) {
                voting.voteDoughnut(VoteRequest.getDefaultInstance());
            }
            assertThat(doughnutVotes(voting)).isEqualTo(20);
        }
    }

    @Test
    void failure_rate_half_fails_some_and_counts_exactly_the_others() {
        try (VotingServer server = new VotingServer("voting.failure-rate=0.5")) {
            var voting = VotingServiceGrpc.newBlockingStub(server.channel);
            int ok = 0;
            for (int i = 0; i < 200; i++) {
                try {
                    voting.voteDoughnut(VoteRequest.getDefaultInstance());
                    ok++;
                } catch (StatusRuntimeException e) {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN);
                }
            }
            // Binomial(200, 0.5): 100 ± 5 sigma (sigma ≈ 7.1).
            assertThat(ok).isBetween(65, 135);
            assertThat(doughnutVotes(voting)).isEqualTo(ok);
        }
    }

    @Test
    void artificial_delay_delays_every_vote() {
        try (VotingServer server = new VotingServer("voting.artificial-delay=300ms")) {
            var voting = VotingServiceGrpc.newBlockingStub(server.channel);
            long start = System.nanoTime();
            voting.voteJoy(VoteRequest.getDefaultInstance());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @Test
    void a_vote_whose_caller_gave_up_during_the_delay_is_not_counted() {
        try (VotingServer server = new VotingServer("voting.artificial-delay=500ms")) {
            var voting = VotingServiceGrpc.newBlockingStub(server.channel);
            assertThatThrownBy(() -> voting.withDeadlineAfter(100, TimeUnit.MILLISECONDS)
                    .voteJoy(VoteRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
            voting.voteGhost(VoteRequest.getDefaultInstance()); // waits until the first vote's delay is over too
            assertThat(voting.results(ResultsRequest.getDefaultInstance()).getResultsList())
                    .extracting(VotingResult::getShortcode).containsExactly(":ghost:");
        }
    }

    @Test
    void an_invalid_failure_rate_stops_startup_with_a_clear_message() {
        assertThatThrownBy(() -> new VotingServer("voting.failure-rate=1.5").close())
                .hasRootCauseMessage("FAILURE_RATE must be a probability between 0.0 and 1.0, got 1.5")
                .hasStackTraceContaining("prefix=voting");
    }

    @Test
    void an_invalid_artificial_delay_stops_startup_with_a_clear_message() {
        assertThatThrownBy(() -> new VotingServer("voting.artificial-delay=soon").close())
                .isInstanceOf(Exception.class)
                .hasStackTraceContaining("voting.artificial-delay")
                .hasStackTraceContaining("soon");
    }
}
