package io.emojivoto.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.emojivoto.launcher.Pipeline;
import io.emojivoto.launcher.PipelineOptions;
import io.emojivoto.launcher.PortPlan;
import io.emojivoto.launcher.TraceCheck;
import io.emojivoto.localrun.StoredSpan;
import io.emojivoto.testkit.Traces;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * docs/workshop/lab-9-where-b3-meets-w3c.md: a pipeline whose formats do not all agree
 * (`./emojivoto up --propagation mixed`): the ingress and web-svc's callers speak B3, web-svc produces
 * only W3C, the proxies understand both, voting-svc accepts both, and emoji-svc knows only B3. Done with
 * each backend ({@link MixedPropagationLabTest}, {@link MixedPropagationLabInJaegerTest}), each on a
 * pipeline of its own in that mode.
 */
abstract class MixedPropagationLab {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static Pipeline pipeline;

    static void start(io.emojivoto.launcher.BackendChoice backend) {
        pipeline = Pipeline.start(PortPlan.free(), PipelineOptions.defaults(Path.of("target", "pipeline-mixed-" + backend.label())
                .toAbsolutePath()).withBackend(backend).withBotRate(0).withSampleRate(1).withPropagation("mixed"), System.out);
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
            pipeline = null;
        }
    }

    private static StoredSpan one(List<StoredSpan> spans, String service, String kind) {
        List<StoredSpan> found = spans.stream().filter(s -> s.serviceName().equals(service) && kind.equals(s.kind())).toList();
        assertThat(found).as(service + " " + kind + " in " + spans).hasSize(1);
        return found.get(0);
    }

    @Test
    void what_survives_a_hop_that_speaks_only_one_format() throws Exception {
        HttpResponse<String> vote = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.ingressUrl() + "/api/vote?choice=:joy:"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(vote.statusCode()).as("the request itself is fine").isEqualTo(200);
        String traceId = vote.headers().firstValue("X-B3-TraceId").orElseThrow();
        assertThat(vote.headers().firstValue("traceresponse")).as("web-svc answered in its own format, W3C, with the same trace")
                .hasValueSatisfying(v -> assertThat(v).startsWith("00-" + traceId + "-"));
        List<StoredSpan> spans = Traces.await(pipeline.traceBackend(), traceId, s -> s.size() >= 10, Duration.ofSeconds(30));
        Thread.sleep(2000); // a reporter flushes every 250 ms: nothing more is coming
        spans = pipeline.traceBackend().trace(traceId);
        Map<String, StoredSpan> byId = spans.stream().collect(Collectors.toMap(StoredSpan::id, Function.identity()));

        // B3 in, W3C out at web-svc: the trace id, the sampling decision and the parent chain survive, since the
        // proxies and voting-svc understand W3C.
        StoredSpan voting = one(spans, "voting-svc", "SERVER");
        assertThat(byId.get(voting.parentId()).serviceName()).isEqualTo("voting-svc-proxy");
        assertThat(voting.tags()).containsEntry("emojivoto.emoji", ":joy:");
        StoredSpan emojiProxy = one(spans, "emoji-svc-proxy", "SERVER");
        assertThat(byId.get(emojiProxy.parentId()).serviceName()).as("the proxies rewrote traceparent").isEqualTo("web-svc-proxy");

        // emoji-svc knows only B3: to it the call came without a trace, so it recorded nothing of it.
        assertThat(spans).noneMatch(s -> s.serviceName().equals("emoji-svc"));
        assertThat(spans).hasSize(10);

        ByteArrayOutputStream report = new ByteArrayOutputStream();
        TraceCheck.Report result = new TraceCheck(pipeline.ingressUrl(), pipeline.ingressStatusUrl() + "/status",
                pipeline.traceBackend(), Duration.ofSeconds(30)).run(100, new PrintStream(report));
        result.print(new PrintStream(report), false);
        System.out.println(report);
        assertThat(result.ok()).isFalse();
        assertThat(report.toString()).contains("emoji-svc-proxy SERVER: missing hop emoji-svc SERVER").contains("tracing broke");
    }
}
