package io.emojivoto.emoji;

import io.emojivoto.common.faults.FaultSwitches;
import io.emojivoto.common.faults.Switch;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * emoji-svc's runtime switches, both off at start: {@code delay}, added to every call, and
 * {@code failure-rate}, how often a FindByShortcode fails. With them a slow hop or an error can start
 * in either backend service, and a learner must find which one from the trace.
 */
@Component
class EmojiFaults {

    final Switch<Duration> delay;
    final Switch<Double> failureRate;

    EmojiFaults(FaultSwitches switches) {
        this.delay = switches.add(Switch.delay("delay", Duration.ZERO));
        this.failureRate = switches.add(Switch.probability("failure-rate", 0));
    }
}
