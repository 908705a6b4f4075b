package io.emojivoto.e2e;

import io.emojivoto.launcher.Cli;
import io.emojivoto.launcher.ExpectedTrace;
import io.emojivoto.launcher.Pipeline;
import io.emojivoto.launcher.PipelineOptions;
import io.emojivoto.launcher.PortPlan;
import io.emojivoto.localrun.TraceQueryApi;
import io.emojivoto.localrun.ZipkinApi;
import io.emojivoto.localrun.StoredSpan;
import io.emojivoto.testkit.Traces;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole pipeline, started once for this module's tests with the code behind `./emojivoto up`,
 * supervised as `up` supervises it, on free ports, and stopped by PID when the run ends. voting-svc
 * gets an ARTIFICIAL_DELAY so that a test can find it in the spans; the bot votes in the background.
 */
public final class RunningPipeline implements BeforeAllCallback {

    static final String ARTIFICIAL_DELAY = "40ms";
    private static volatile Pipeline pipeline;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).computeIfAbsent(RunningPipeline.class, key -> {
            pipeline = Pipeline.start(PortPlan.free(), PipelineOptions.defaults(Path.of("target", "pipeline").toAbsolutePath())
                    .withBotRate(2).withArtificialDelay(ARTIFICIAL_DELAY), System.out);
            pipeline.record(0); // as ./emojivoto up does: the labs' commands find the pipeline in its run folder
            pipeline.supervise(System.out, () -> pipeline.record(0));
            return (AutoCloseable) pipeline::close;
        }, AutoCloseable.class);
    }

    /** The command line, on this pipeline: what a learner types, with its output captured. */
    static String cli(String... args) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int status = new Cli(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                pipeline.options().runDir()).run(args);
        String text = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        System.out.println("$ ./emojivoto " + String.join(" ", args) + "\n" + text + "(exit " + status + ")");
        return text;
    }

    static Pipeline get() {
        return pipeline;
    }

    static TraceQueryApi backend() {
        return pipeline.traceBackend();
    }

    /** The Zipkin server's own API, for what only Zipkin has (its dependency graph). */
    static ZipkinApi zipkin() {
        return new ZipkinApi(pipeline.traceBackend().baseUrl());
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** GET through the ingress, as a browser would. */
    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.ingressUrl() + path)).timeout(Duration.ofSeconds(15)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A request the ingress sampled, found as a learner finds one: by asking until the answer says so. */
    static HttpResponse<String> sampled(String path) throws Exception {
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
    static List<StoredSpan> completeTrace(HttpResponse<String> response, String path) {
        return Traces.await(backend(), traceId(response),
                spans -> ExpectedTrace.problems(spans, path, response.statusCode()).isEmpty(), Duration.ofSeconds(30));
    }

    static String ingressStatusUrl() {
        return pipeline.ingressStatusUrl() + "/status";
    }
}
