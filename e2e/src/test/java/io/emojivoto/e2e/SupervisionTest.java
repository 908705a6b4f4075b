package io.emojivoto.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.emojivoto.launcher.Pipeline;
import io.emojivoto.launcher.TraceCheck;
import io.emojivoto.localrun.ManagedProcess;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A part that dies comes back: a service, a proxy and the trace backend are killed with SIGKILL in
 * turn, under traffic, and the supervisor has each healthy again within 30 s, while requests that do
 * not need the dead part go on being answered; afterwards `check` finds every trace complete.
 * Runs last of the e2e classes, since it kills parts of the shared pipeline.
 */
@ExtendWith(RunningPipeline.class)
@Order(100)
class SupervisionTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration BACK_WITHIN = Duration.ofSeconds(30);

    private static int status(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(RunningPipeline.get().ingressUrl() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Kills the part's process as a crash would, and returns how many restarts it had before. */
    private static int kill(Pipeline.Part part) {
        int before = part.restarts();
        ProcessHandle.of(part.process().pid()).orElseThrow().destroyForcibly();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> part.process() == null || !part.process().isAlive());
        return before;
    }

    private static void awaitBack(Pipeline.Part part, int restartsBefore) {
        Awaitility.await(part.name() + " back").atMost(BACK_WITHIN).pollInterval(Duration.ofMillis(250)).until(() ->
                part.restarts() == restartsBefore + 1 && part.process() != null && part.process().isAlive()
                        && ManagedProcess.isHttpOk(part.healthUrl()));
    }

    @Test
    void a_killed_service_proxy_and_backend_each_come_back_within_30_s_and_traces_are_complete_after() throws Exception {
        Pipeline pipeline = RunningPipeline.get();

        Pipeline.Part voting = pipeline.part("voting-svc");
        int before = kill(voting);
        assertThat(status("/api/list")).as("the list does not need voting-svc").isEqualTo(200);
        assertThat(status("/api/vote?choice=:joy:")).as("a vote gets a clear answer, not a hang").isEqualTo(503);
        awaitBack(voting, before);

        Pipeline.Part proxy = pipeline.part("emoji-svc-proxy");
        before = kill(proxy);
        assertThat(status("/api/list")).as("without emoji-svc's proxy, web-svc answers 503").isEqualTo(503);
        awaitBack(proxy, before);

        Pipeline.Part backend = pipeline.part("zipkin");
        before = kill(backend);
        for (int i = 0; i < 20; i++) {
            long start = System.nanoTime();
            assertThat(status("/api/vote?choice=:tada:")).as("a dead backend fails no request").isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("and slows none").isLessThan(Duration.ofSeconds(2));
        }
        awaitBack(backend, before);

        // Reporters reconnect on their own; what they queued while the backend was down may be lost, so
        // the check runs on fresh requests once the first complete trace shows the path is whole again.
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            TraceCheck.Report probe = new TraceCheck(pipeline.ingressUrl(), RunningPipeline.ingressStatusUrl(),
                    pipeline.traceBackend(), Duration.ofSeconds(10)).run(20, quiet());
            return probe.partial().isEmpty() && probe.failedCalls().isEmpty() && probe.sampled() > 0;
        });
        TraceCheck.Report report = new TraceCheck(pipeline.ingressUrl(), RunningPipeline.ingressStatusUrl(),
                pipeline.traceBackend(), Duration.ofSeconds(60)).run(300, quiet());
        report.print(System.out, false);
        assertThat(report.ok()).as(report.verdict()).isTrue();
        assertThat(pipeline.parts().values()).allSatisfy(part -> assertThat(part.process().isAlive()).as(part.name()).isTrue());
    }

    private static PrintStream quiet() {
        return new PrintStream(OutputStream.nullOutputStream());
    }
}
