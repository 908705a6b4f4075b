package io.emojivoto.e2e;

import io.emojivoto.launcher.BackendChoice;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The pipeline of `./emojivoto up --backend jaeger` (collector, Jaeger, Prometheus), shared by the
 * tests of Jaeger and the labs done in Jaeger ({@link SharedPipeline}): one start for all of them.
 */
public final class RunningJaegerPipeline implements BeforeAllCallback {

    private static volatile SharedPipeline shared;

    @Override
    public void beforeAll(ExtensionContext context) {
        shared = SharedPipeline.of(context, BackendChoice.JAEGER);
    }

    static SharedPipeline shared() {
        return shared;
    }
}
