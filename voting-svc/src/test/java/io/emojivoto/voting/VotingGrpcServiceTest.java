package io.emojivoto.voting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emojivoto.api.EmojiTable;
import io.emojivoto.api.v1.ResultsRequest;
import io.emojivoto.api.v1.VoteRequest;
import io.emojivoto.api.v1.VoteResponse;
import io.emojivoto.api.v1.VotingResult;
import io.emojivoto.api.v1.VotingServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** VotingService over real gRPC, with the default configuration of the classic demo. */
class VotingGrpcServiceTest {

    private static VotingServer server;
    private VotingServiceGrpc.VotingServiceBlockingStub voting;

    @BeforeAll
    static void start() {
        server = new VotingServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private VotingServiceGrpc.VotingServiceBlockingStub voting() {
        return VotingServiceGrpc.newBlockingStub(server.channel);
    }

    static VoteResponse vote(io.grpc.Channel channel, String shortcode) {
        return vote(channel, shortcode, CallOptions.DEFAULT);
    }

    @SuppressWarnings("unchecked")
    static VoteResponse vote(io.grpc.Channel channel, String shortcode, CallOptions options) {
        String method = EmojiTable.get().find(shortcode).orElseThrow().voteMethodName();
        var descriptor = (MethodDescriptor<VoteRequest, VoteResponse>) VotingServiceGrpc.getServiceDescriptor()
                .getMethods().stream().filter(m -> m.getBareMethodName().equals(method)).findFirst().orElseThrow();
        return ClientCalls.blockingUnaryCall(channel, descriptor, options, VoteRequest.getDefaultInstance());
    }

    private static long votesFor(List<VotingResult> results, String shortcode) {
        return results.stream().filter(r -> r.getShortcode().equals(shortcode)).mapToLong(VotingResult::getVotes)
                .sum();
    }

    @Test
    void each_of_the_100_vote_rpcs_counts_for_its_own_emoji() {
        for (EmojiTable.Entry entry : EmojiTable.get().all()) {
            if (!entry.shortcode().equals(":doughnut:")) {
                vote(server.channel, entry.shortcode());
            }
        }
        List<VotingResult> results = voting().results(ResultsRequest.getDefaultInstance()).getResultsList();
        for (EmojiTable.Entry entry : EmojiTable.get().all()) {
            if (!entry.shortcode().equals(":doughnut:")) {
                assertThat(votesFor(results, entry.shortcode())).as(entry.shortcode()).isGreaterThanOrEqualTo(1);
            }
        }
    }

    @Test
    void results_are_sorted_by_votes() {
        long before = votesFor(voting().results(ResultsRequest.getDefaultInstance()).getResultsList(), ":bacon:");
        for (int i = 0; i < 50; i++) {
            voting().voteBacon(VoteRequest.getDefaultInstance());
        }
        List<VotingResult> results = voting().results(ResultsRequest.getDefaultInstance()).getResultsList();
        assertThat(votesFor(results, ":bacon:")).isEqualTo(before + 50);
        assertThat(results).extracting(VotingResult::getVotes).isSortedAccordingTo((a, b) -> Integer.compare(b, a));
    }

    @Test
    void a_doughnut_vote_fails_with_a_grpc_error_and_is_not_counted() {
        assertThatThrownBy(() -> voting().voteDoughnut(VoteRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN));
        List<VotingResult> results = voting().results(ResultsRequest.getDefaultInstance()).getResultsList();
        assertThat(votesFor(results, ":doughnut:")).isZero();
    }

    @Test
    void n_parallel_votes_over_grpc_count_n() throws Exception {
        long before = votesFor(voting().results(ResultsRequest.getDefaultInstance()).getResultsList(), ":rocket:");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        IntStream.range(0, 400).forEach(i -> pool.submit(() -> voting().voteRocket(VoteRequest.getDefaultInstance())));
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        long after = votesFor(voting().results(ResultsRequest.getDefaultInstance()).getResultsList(), ":rocket:");
        assertThat(after - before).isEqualTo(400);
    }

    @Test
    void exposes_a_prometheus_counter_of_votes_per_emoji() {
        voting().voteTaco(VoteRequest.getDefaultInstance());
        var counter = server.context.getBean(io.micrometer.core.instrument.MeterRegistry.class)
                .get("emojivoto.votes").tag("emoji", ":taco:").counter();
        assertThat(counter.count()).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void votes_are_fast_without_an_artificial_delay() {
        long start = System.nanoTime();
        voting().voteFire(VoteRequest.getDefaultInstance());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }
}
