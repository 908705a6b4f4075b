package io.emojivoto.e2e;

import io.emojivoto.launcher.Pipeline;
import io.emojivoto.launcher.PipelineOptions;
import io.emojivoto.launcher.PortPlan;
import io.emojivoto.testkit.ZipkinApi;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole pipeline, started once for this module's tests with the code behind
 * `./emojivoto up --detach`, on free ports, and stopped by PID when the run ends. voting-svc gets an
 * ARTIFICIAL_DELAY so that a test can find it in the spans; the bot votes in the background.
 */
public final class RunningPipeline implements BeforeAllCallback {

    static final String ARTIFICIAL_DELAY = "40ms";
    private static volatile Pipeline pipeline;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).computeIfAbsent(RunningPipeline.class, key -> {
            pipeline = Pipeline.start(PortPlan.free(), new PipelineOptions(0.5, 2, 1.0, ARTIFICIAL_DELAY,
                    Path.of("target", "pipeline").toAbsolutePath(), false), System.out);
            return (AutoCloseable) pipeline::close;
        }, AutoCloseable.class);
    }

    static Pipeline get() {
        return pipeline;
    }

    static ZipkinApi zipkin() {
        return new ZipkinApi(pipeline.zipkinUrl());
    }

    static String ingressStatusUrl() {
        return "http://127.0.0.1:" + pipeline.ports().ingressStatus() + "/status";
    }
}
