package io.emojivoto.launcher;

import java.nio.file.Path;

/**
 * How to run the pipeline: the options of `./emojivoto up`.
 *
 * @param sampleRate      the ingress's SAMPLE_RATE at start ({@code --sample-rate})
 * @param botRate         the vote-bot's REQUEST_RATE; 0 runs no bot ({@code --bot-rate})
 * @param failureRate     voting-svc's FAILURE_RATE at start ({@code --failure-rate})
 * @param artificialDelay voting-svc's ARTIFICIAL_DELAY at start (e.g. 250ms), or null ({@code --artificial-delay})
 * @param backend         the trace backend ({@code --backend})
 * @param runDir          where logs, nginx's folder and the state file go
 * @param detach          leave the pipeline running, supervised, when `up` returns
 */
public record PipelineOptions(double sampleRate, double botRate, double failureRate, String artificialDelay,
                              Backend backend, Path runDir, boolean detach) {

    public PipelineOptions {
        if (!(sampleRate >= 0 && sampleRate <= 1)) {
            throw new UsageException("--sample-rate must be a number from 0 to 1, got " + sampleRate);
        }
        if (!(botRate >= 0 && botRate <= 10_000)) {
            throw new UsageException("--bot-rate must be 0 (no bot) or a number of votes per second up to 10000, got " + botRate);
        }
        if (!(failureRate >= 0 && failureRate <= 1)) {
            throw new UsageException("--failure-rate must be a number from 0 to 1, got " + failureRate);
        }
        if (artificialDelay != null && !artificialDelay.matches("\\d{1,6}(ms|s)")) {
            throw new UsageException("--artificial-delay must be a duration such as 250ms or 1s, got '" + artificialDelay + "'");
        }
    }

    public static PipelineOptions defaults(Path runDir) {
        return new PipelineOptions(0.5, 1, 1.0, null, Backend.ZIPKIN, runDir, false);
    }

    public PipelineOptions withSampleRate(double rate) {
        return new PipelineOptions(rate, botRate, failureRate, artificialDelay, backend, runDir, detach);
    }

    public PipelineOptions withBotRate(double rate) {
        return new PipelineOptions(sampleRate, rate, failureRate, artificialDelay, backend, runDir, detach);
    }

    public PipelineOptions withArtificialDelay(String delay) {
        return new PipelineOptions(sampleRate, botRate, failureRate, delay, backend, runDir, detach);
    }

    public PipelineOptions withBackend(Backend chosen) {
        return new PipelineOptions(sampleRate, botRate, failureRate, artificialDelay, chosen, runDir, detach);
    }
}
