package io.emojivoto.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The restart delay: growing, never a tight loop, capped. */
class SupervisorTest {

    @Test
    void a_part_that_keeps_failing_waits_longer_each_time_up_to_thirty_seconds() {
        assertThat(Supervisor.backoff(0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(Supervisor.backoff(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(Supervisor.backoff(4)).isEqualTo(Duration.ofSeconds(16));
        assertThat(Supervisor.backoff(5)).isEqualTo(Duration.ofSeconds(30));
        assertThat(Supervisor.backoff(500)).isEqualTo(Duration.ofSeconds(30));
    }
}
