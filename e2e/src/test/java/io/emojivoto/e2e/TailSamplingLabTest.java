package io.emojivoto.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.emojivoto.launcher.BackendChoice;
import io.emojivoto.launcher.PipelineOptions;
import io.emojivoto.localrun.ProjectPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * docs/workshop/lab-11-tail-sampling.md: the same traffic through head sampling (the shared Jaeger
 * pipeline, the ingress choosing half the requests) and through tail sampling (a pipeline of its own,
 * `up --backend jaeger --sampling tail`: the ingress traces everything, the collector keeps every
 * failed request's trace and a tenth of the rest), read back by `check` from Jaeger's API.
 */
@ExtendWith(RunningJaegerPipeline.class)
@Order(112)
class TailSamplingLabTest {

    private static final Pattern FAILED_TRACED = Pattern.compile("failed requests traced: +(\\d+) of (\\d+)");
    private static final Pattern COMPLETE = Pattern.compile("complete traces: +(\\d+) of (\\d+)");
    private static SharedPipeline tail;

    @AfterAll
    static void stopTail() {
        if (tail != null) {
            tail.close();
        }
    }

    private static int[] numbers(Pattern pattern, String report) {
        Matcher m = pattern.matcher(report);
        assertThat(m.find()).as(pattern + " in\n" + report).isTrue();
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    @Test
    void head_sampling_keeps_about_half_the_failed_votes_traces_tail_sampling_keeps_all_and_few_of_the_rest() throws Exception {
        // Head: "about half of the 40-odd failed votes have a trace" (the ingress chose before anything failed).
        String head = RunningJaegerPipeline.shared().cli("check", "--requests", "400");
        assertThat(head).contains("OK: every sampled request has a complete trace");
        int[] headFailed = numbers(FAILED_TRACED, head);
        assertThat(headFailed[1]).as("one request in ten is a doughnut vote (and a random vote can be one), each fails")
                .isGreaterThanOrEqualTo(40);
        assertThat(headFailed[0]).as("some, not all: the ingress decided at the first hop").isBetween(1, headFailed[1] - 1);

        tail = SharedPipeline.start(PipelineOptions.defaults(Path.of("target", "pipeline-jaeger-tail").toAbsolutePath())
                .withBackend(BackendChoice.JAEGER).withTailSampling().withBotRate(0));
        assertThat(tail.cli("status")).contains("collector");
        // The collector ran tracing.yml's tail-sampling variant, addresses aside.
        String ran = Files.readString(tail.pipeline().options().runDir().resolve("jaeger").resolve("collector-tail-sampling.yaml"));
        assertThat(TracingYml.withoutAddresses(ran)).isEqualTo(TracingYml.withoutAddresses(TracingYml.configMapText("collector-tail-sampling.yaml")));

        // Tail: "every one of the 40 failed votes has its complete trace, and far fewer of the others do".
        String report = tail.cli("check", "--requests", "400");
        Files.writeString(ProjectPaths.root().resolve("docs/workshop/screenshots/lab-11-check-with-tail-sampling.txt"),
                "$ ./emojivoto check --requests 400\n" + report);
        assertThat(report).contains("OK: every failed request has a complete trace, every other one a complete trace or none");
        int[] tailFailed = numbers(FAILED_TRACED, report);
        assertThat(tailFailed[1]).isGreaterThanOrEqualTo(40);
        assertThat(tailFailed[0]).as("every failed request's trace").isEqualTo(tailFailed[1]);
        int[] complete = numbers(COMPLETE, report);
        assertThat(complete[1]).as("the ingress traced every request").isEqualTo(400);
        int keptOthers = complete[0] - tailFailed[1];
        // A tenth of the others, plus every one slower than half a second: on a busy machine that is most per-emoji
        // leaderboards (a fifth of what check sends, each a hundred calls), so up to about three in ten; fewer than
        // head sampling's half either way.
        assertThat(keptOthers).as("a tenth of the others, and the slow ones").isBetween(1, (400 - tailFailed[1]) / 2 - 1);
        assertThat(report).containsPattern("the collector's tail sampling dropped \\d+, none of them a failed request's");

        // "The span metrics are counted from every span before the tail sampler drops any": the ingress's
        // server spans counted for the Monitor tab are at least the 400 requests, not the few traces kept.
        String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + tail.pipeline().ports().port("collector.spanmetrics") + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        Matcher calls = Pattern.compile("(?m)^traces_span_metrics_calls_total\\{[^}]*service_name=\"ingress\"[^}]*span_kind=\"SPAN_KIND_SERVER\"[^}]*\\} (\\S+)$")
                .matcher(metrics);
        double counted = 0;
        while (calls.find()) {
            counted += Double.parseDouble(calls.group(1));
        }
        assertThat(counted).isGreaterThanOrEqualTo(400);
    }
}
