package io.emojivoto.e2e;

import io.emojivoto.launcher.Pipeline;
import io.emojivoto.launcher.PipelineOptions;
import io.emojivoto.launcher.PortPlan;
import io.emojivoto.localrun.TraceBackend;
import io.emojivoto.localrun.ZipkinApi;
import java.nio.file.Path;
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
            pipeline.supervise(System.out, () -> { });
            return (AutoCloseable) pipeline::close;
        }, AutoCloseable.class);
    }

    static Pipeline get() {
        return pipeline;
    }

    static TraceBackend backend() {
        return pipeline.traceBackend();
    }

    /** The Zipkin server's own API, for what only Zipkin has (its dependency graph). */
    static ZipkinApi zipkin() {
        return new ZipkinApi(pipeline.traceBackend().baseUrl());
    }

    static String ingressStatusUrl() {
        return pipeline.ingressStatusUrl() + "/status";
    }
}
