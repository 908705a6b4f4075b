package io.emojivoto.launcher;

import java.nio.file.Path;

/**
 * How to run the pipeline.
 *
 * @param sampleRate      the ingress's SAMPLE_RATE
 * @param botRate         the vote-bot's REQUEST_RATE; 0 runs no bot
 * @param failureRate     voting-svc's FAILURE_RATE
 * @param artificialDelay voting-svc's ARTIFICIAL_DELAY (e.g. 250ms), or null
 * @param runDir          where logs, nginx's folder and the state file go
 * @param detach          leave the parts running when the launcher exits
 */
public record PipelineOptions(double sampleRate, double botRate, double failureRate, String artificialDelay,
                              Path runDir, boolean detach) {

    public PipelineOptions {
        if (sampleRate < 0 || sampleRate > 1) {
            throw new IllegalArgumentException("--sample-rate must be between 0 and 1, got " + sampleRate);
        }
        if (botRate < 0) {
            throw new IllegalArgumentException("--bot-rate must be 0 (no bot) or more, got " + botRate);
        }
        if (failureRate < 0 || failureRate > 1) {
            throw new IllegalArgumentException("--failure-rate must be between 0 and 1, got " + failureRate);
        }
    }

    public static PipelineOptions defaults(Path runDir) {
        return new PipelineOptions(0.5, 1, 1.0, null, runDir, false);
    }
}
