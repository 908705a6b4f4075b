package io.emojivoto.e2e;

import io.emojivoto.launcher.BackendChoice;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;

/** Lab 9 with `--backend jaeger`: the same observations, read back through Jaeger's API. */
@Order(113)
class MixedPropagationLabInJaegerTest extends MixedPropagationLab {

    @BeforeAll
    static void startJaeger() {
        start(BackendChoice.JAEGER);
    }
}
