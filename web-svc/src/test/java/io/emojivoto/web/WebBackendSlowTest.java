package io.emojivoto.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.emojivoto.api.v1.ResultsRequest;
import io.emojivoto.api.v1.VoteRequest;
import io.emojivoto.api.v1.VotingResult;
import io.emojivoto.api.v1.VotingServiceGrpc;
import io.emojivoto.testkit.ServiceProcess;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * voting-svc is up but delays every vote by 2 s, and web-svc's deadline is 500 ms: the vote is a
 * 504 with a JSON error within the deadline, and voting-svc does not count the vote that the
 * caller was told had failed.
 */
@ExtendWith(Backends.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "web.grpc-deadline=500ms")
class WebBackendSlowTest {

    private static ServiceProcess slowVoting;

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        registry.add("web.emoji-svc-host", () -> Backends.get().emoji().grpcAddress());
        registry.add("web.voting-svc-host", () -> slowVoting().grpcAddress());
        registry.add("management.tracing.export.zipkin.endpoint", () -> Backends.get().zipkin().spansEndpoint());
    }

    private static synchronized ServiceProcess slowVoting() {
        if (slowVoting == null) {
            slowVoting = ServiceProcess.startGrpcService("voting-svc", Backends.get().zipkin().spansEndpoint(),
                    Map.of("ARTIFICIAL_DELAY", "2s"));
        }
        return slowVoting;
    }

    @AfterAll
    static void stopSlowVoting() {
        if (slowVoting != null) {
            slowVoting.close();
        }
    }

    @LocalServerPort
    int port;

    @Test
    void a_vote_slower_than_the_deadline_is_a_504_and_is_not_counted() {
        long start = System.nanoTime();
        HttpResponse<String> response = new Http(port).get("/api/vote?choice=:joy:");
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(Http.json(response).path("error").asString()).contains("DEADLINE_EXCEEDED");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1_800));

        ManagedChannel direct = ManagedChannelBuilder.forTarget(slowVoting.grpcAddress()).usePlaintext().build();
        try {
            var voting = VotingServiceGrpc.newBlockingStub(direct);
            voting.voteGhost(VoteRequest.getDefaultInstance()); // returns after the :joy: vote's delay is over too
            assertThat(voting.results(ResultsRequest.getDefaultInstance()).getResultsList())
                    .extracting(VotingResult::getShortcode).containsExactly(":ghost:");
        } finally {
            direct.shutdownNow();
        }
    }
}
