package io.emojivoto.e2e;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.ExtendWith;

/** The workshop's labs with the default backend, Zipkin: the pages' screenshots are this run's. */
@ExtendWith(RunningPipeline.class)
@Order(10)
class WorkshopLabsTest extends WorkshopLabs {

    @Override
    SharedPipeline lab() {
        return RunningPipeline.shared();
    }
}
