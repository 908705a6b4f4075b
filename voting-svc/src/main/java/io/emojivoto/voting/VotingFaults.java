package io.emojivoto.voting;

import io.emojivoto.common.faults.FaultSwitches;
import io.emojivoto.common.faults.Switch;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * voting-svc's runtime switches, started at ARTIFICIAL_DELAY and FAILURE_RATE:
 * {@code delay}, added to every vote, and {@code failure-rate}, how often a vote for the doughnut fails.
 */
@Component
class VotingFaults {

    final Switch<Duration> delay;
    final Switch<Double> failureRate;

    VotingFaults(VotingProperties properties, FaultSwitches switches) {
        this.delay = switches.add(Switch.delay("delay", properties.artificialDelay()));
        this.failureRate = switches.add(Switch.probability("failure-rate", properties.failureRate()));
    }
}
