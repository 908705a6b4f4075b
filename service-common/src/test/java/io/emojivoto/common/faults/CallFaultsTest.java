package io.emojivoto.common.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.ArgumentMatchers.anyString;

import io.emojivoto.switches.Switches;
import io.grpc.Context;
import io.micrometer.tracing.Span;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CallFaultsTest {

    private final Switches switches = new Switches("a-service");
    private final CallFaults faults = new CallFaults(switches, Duration.ZERO, 0);

    @Test
    void both_switches_are_registered_with_their_start_values() {
        assertThat(switches.all()).extracting(s -> s.name() + "=" + s.text()).containsExactly("delay=0ms", "failure-rate=0");
    }

    @Test
    void a_call_fails_as_failure_rate_says_and_its_span_says_so() {
        Span span = mock(Span.class);
        assertThat(faults.failsNow(span)).isFalse();
        verify(span, never()).tag(anyString(), anyString());
        switches.set("failure-rate", "1");
        assertThat(faults.failsNow(span)).isTrue();
        verify(span).tag("emojivoto.fault", "failure-rate");
    }

    @Test
    void the_delay_is_waited_out_inside_the_span_and_tagged() {
        Span span = mock(Span.class);
        assertThat(faults.waitOutDelay(span)).as("no delay: no wait, no tag").isTrue();
        verify(span, never()).tag(anyString(), anyString());
        switches.set("delay", "50ms");
        long start = System.nanoTime();
        assertThat(faults.waitOutDelay(span)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        verify(span).tag("emojivoto.fault", "delay");
    }

    @Test
    void a_caller_that_gave_up_during_the_delay_ends_the_call() throws Exception {
        switches.set("delay", "50ms");
        Context.CancellableContext call = Context.current().withCancellation();
        call.cancel(null);
        assertThat(call.call(() -> faults.waitOutDelay(Span.NOOP))).isFalse();
    }

    @Test
    void an_interrupted_wait_ends_the_call_and_keeps_the_interrupt() {
        switches.set("delay", "10s");
        Thread.currentThread().interrupt();
        try {
            assertThat(faults.waitOutDelay(Span.NOOP)).isFalse();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void a_fault_set_blind_acts_but_tags_nothing_and_gives_no_reason() {
        Span span = mock(Span.class);
        switches.set("failure-rate", "1", null, true);
        switches.set("delay", "20ms", null, true);
        assertThat(faults.failsNow(span)).isTrue();
        assertThat(faults.failureReason()).isEmpty();
        long start = System.nanoTime();
        assertThat(faults.waitOutDelay(span)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(20));
        verify(span, never()).tag(anyString(), anyString());
        switches.set("failure-rate", "1");
        assertThat(faults.failureReason()).isEqualTo(" on purpose (failure-rate 1)");
    }

    @Test
    void a_delay_limited_to_one_emoji_slows_that_emoji_only() {
        Switches voting = new Switches("voting-svc");
        CallFaults limited = new CallFaults(voting, Duration.ZERO, 0, java.util.Set.of(":ghost:", ":joy:"));
        voting.set("delay", "10s", ":ghost:", false);
        Span span = mock(Span.class);
        long start = System.nanoTime();
        assertThat(limited.waitOutDelay(span, ":joy:")).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("another emoji: no wait").isLessThan(Duration.ofSeconds(5));
        verify(span, never()).tag(anyString(), anyString());
        assertThat(limited.failureRate.limitable()).isTrue();
    }
}
