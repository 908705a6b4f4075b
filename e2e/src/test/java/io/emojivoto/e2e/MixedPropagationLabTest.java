package io.emojivoto.e2e;

import io.emojivoto.launcher.BackendChoice;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;

/** Lab 9 with the default backend, Zipkin. */
@Order(55)
class MixedPropagationLabTest extends MixedPropagationLab {

    @BeforeAll
    static void startZipkin() {
        start(BackendChoice.ZIPKIN);
    }
}
