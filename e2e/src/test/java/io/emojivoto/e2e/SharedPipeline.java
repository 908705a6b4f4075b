package io.emojivoto.e2e;

import io.emojivoto.launcher.BackendChoice;
import io.emojivoto.launcher.Cli;
import io.emojivoto.launcher.ExpectedTrace;
import io.emojivoto.launcher.Pipeline;
import io.emojivoto.launcher.PipelineOptions;
import io.emojivoto.launcher.PortPlan;
import io.emojivoto.localrun.StoredSpan;
import io.emojivoto.localrun.TraceQueryApi;
import io.emojivoto.testkit.Traces;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A whole pipeline with the code behind `./emojivoto up`, shared by this module's tests: one per
 * backend, started the first time a test class needs it, supervised as `up` supervises it, on free
 * ports, and stopped by PID when the run ends. voting-svc gets an ARTIFICIAL_DELAY so that a test can
 * find it in the spans; the bot votes in the background.
 */
final class SharedPipeline implements AutoCloseable {

    static final String ARTIFICIAL_DELAY = "40ms";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Pipeline pipeline;

    private SharedPipeline(Pipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** The backend's pipeline, started once for the whole test run. */
    static SharedPipeline of(ExtensionContext context, BackendChoice backend) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).computeIfAbsent(SharedPipeline.class.getName() + backend,
                key -> start(backend), SharedPipeline.class);
    }

    private static SharedPipeline start(BackendChoice backend) {
        Path runDir = Path.of("target", backend == BackendChoice.ZIPKIN ? "pipeline" : "pipeline-" + backend.label()).toAbsolutePath();
        return start(PipelineOptions.defaults(runDir).withBackend(backend).withBotRate(2).withArtificialDelay(ARTIFICIAL_DELAY));
    }

    /** A pipeline of a test's own, in a mode no other test uses: the test closes it. */
    static SharedPipeline start(PipelineOptions options) {
        Pipeline pipeline = Pipeline.start(PortPlan.free(), options, System.out);
        pipeline.record(0); // as ./emojivoto up does: the labs' commands find the pipeline in its run folder
        pipeline.supervise(System.out, () -> pipeline.record(0));
        return new SharedPipeline(pipeline);
    }

    @Override
    public void close() {
        pipeline.close();
    }

    Pipeline pipeline() {
        return pipeline;
    }

    BackendChoice backendChoice() {
        return pipeline.options().backend();
    }

    /** The part every reporter sends its spans to: Zipkin itself, or the collector in front of Jaeger. */
    String spanReceiver() {
        return backendChoice() == BackendChoice.ZIPKIN ? "zipkin" : "collector";
    }

    /** The part that stores the traces (what `reset` restarts). */
    String traceStore() {
        return backendChoice() == BackendChoice.ZIPKIN ? "zipkin" : "jaeger";
    }

    /** The command line, on this pipeline: what a learner types, with its output captured. */
    String cli(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), pipeline.options().runDir()).run(args);
        String text = out.toString(StandardCharsets.UTF_8);
        System.out.println("$ ./emojivoto " + String.join(" ", args) + "\n" + text + "(exit " + status + ")");
        return text;
    }

    TraceQueryApi backend() {
        return pipeline.traceBackend();
    }

    /** GET through the ingress, as a browser would. */
    HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.ingressUrl() + path)).timeout(Duration.ofSeconds(15)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A request the ingress sampled, found as a learner finds one: by asking until the answer says so. */
    HttpResponse<String> sampled(String path) throws Exception {
        for (int i = 0; i < 60; i++) {
            HttpResponse<String> response = get(path);
            if (response.headers().firstValue("X-B3-Sampled").orElse("0").equals("1")) {
                return response;
            }
        }
        throw new AssertionError("60 requests and none sampled: is the sample rate 0?");
    }

    /** The trace id the ingress answered with: the one the UI's trace link opens. */
    static String traceId(HttpResponse<String> response) {
        return response.headers().firstValue("X-B3-TraceId").orElseThrow();
    }

    /** A response's trace once all of it has arrived: complete against the expected tree. */
    List<StoredSpan> completeTrace(HttpResponse<String> response, String path) {
        return Traces.await(backend(), traceId(response),
                spans -> ExpectedTrace.problems(spans, path, response.statusCode()).isEmpty(), Duration.ofSeconds(30));
    }

    String ingressStatusUrl() {
        return pipeline.ingressStatusUrl() + "/status";
    }
}
