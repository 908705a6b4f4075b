package io.emojivoto.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.emojivoto.launcher.PipelineOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The first vote after `up` answers 200, on a machine kept busy: `up` says healthy only once a vote
 * would be served within web-svc's gRPC deadline (web-svc connects its channels at start, and the
 * launcher warms every hop with unsampled read-only calls). A room of laptops starting the pipeline
 * beside a browser and a slide deck is such a machine.
 */
@Order(5)
class FirstVoteTest {

    @Test
    void right_after_up_on_a_busy_machine_the_first_vote_through_the_ingress_answers_200() throws Exception {
        AtomicBoolean busy = new AtomicBoolean(true);
        List<Thread> burners = new ArrayList<>();
        long stopAt = System.nanoTime() + Duration.ofMinutes(3).toNanos(); // bounded, whatever happens below
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            Thread burner = new Thread(() -> {
                long x = 0;
                while (busy.get() && System.nanoTime() < stopAt) {
                    x += Long.numberOfTrailingZeros(x ^ System.nanoTime());
                }
            }, "cpu-burner-" + i);
            burner.setDaemon(true);
            burner.start();
            burners.add(burner);
        }
        SharedPipeline pipeline = null;
        try {
            pipeline = SharedPipeline.start(PipelineOptions.defaults(Path.of("target", "pipeline-first-vote").toAbsolutePath()).withBotRate(0));
            HttpResponse<String> first = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(pipeline.pipeline().ingressUrl() + "/api/vote?choice=:rocket:")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            // The warm-up counted no vote and left no trace: the leaderboard holds the one vote just cast, and
            // the backend has no span of the warm-up's context.
            String board = pipeline.get("/api/leaderboard").body();
            assertThat(board.split("\"shortcode\"").length - 1).as(board).isEqualTo(1);
            assertThat(board).contains("\"shortcode\":\":rocket:\"").contains("\"votes\":1");
            // Once a sampled request's trace is complete, every reporter has flushed: each trace in the backend
            // started at the ingress, so none is the warm-up's (which never passed it).
            pipeline.completeTrace(pipeline.sampled("/api/list"), "/api/list");
            List<List<io.emojivoto.localrun.StoredSpan>> traces = pipeline.backend().recentTraces("web-svc-proxy", Duration.ofHours(1), 100);
            assertThat(traces).isNotEmpty().allMatch(trace -> trace.stream().anyMatch(span -> span.serviceName().equals("ingress")));
        } finally {
            busy.set(false);
            for (Thread burner : burners) {
                burner.join(5_000);
            }
            if (pipeline != null) {
                pipeline.close();
            }
        }
    }
}
