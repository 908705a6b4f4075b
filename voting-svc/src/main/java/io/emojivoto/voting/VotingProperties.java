package io.emojivoto.voting;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The fault knobs of the demo. Invalid values stop the service at startup with the property's
 * name and the reason, rather than silently falling back as the original did.
 *
 * @param failureRate     probability in [0, 1] that a vote for :doughnut: fails ({@code FAILURE_RATE})
 * @param artificialDelay time added to every vote ({@code ARTIFICIAL_DELAY}), zero or more
 */
@ConfigurationProperties("voting")
public record VotingProperties(double failureRate, Duration artificialDelay) {

    public VotingProperties {
        if (Double.isNaN(failureRate) || failureRate < 0.0 || failureRate > 1.0) {
            throw new IllegalArgumentException(
                    "FAILURE_RATE must be a probability between 0.0 and 1.0, got " + failureRate);
        }
        if (artificialDelay == null) {
            artificialDelay = Duration.ZERO;
        }
        if (artificialDelay.isNegative()) {
            throw new IllegalArgumentException("ARTIFICIAL_DELAY must not be negative, got " + artificialDelay);
        }
    }
}
