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
 * @param propagation     the trace context format the parts produce ({@code --propagation}): b3 or w3c for all,
 *                        or mixed (the ingress b3, web-svc w3c, emoji-svc knowing only b3: the seam lab)
 * @param listen          a second address of this machine where the ingress and the trace UI also listen, for
 *                        a room sharing one instance ({@code --listen}); null for 127.0.0.1 only
 * @param runDir          where logs, nginx's folder and the state file go
 * @param detach          leave the pipeline running, supervised, when `up` returns
 * @param sampling        where traces are chosen ({@code --sampling}): head, at the ingress (SAMPLE_RATE); or tail,
 *                        in the collector once each trace is complete (Jaeger only; the ingress then traces every request)
 */
public record PipelineOptions(double sampleRate, double botRate, double failureRate, String artificialDelay,
                              BackendChoice backend, String propagation, String listen, Path runDir, boolean detach,
                              String sampling) {

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
        if (listen != null) {
            checkLocal(listen);
        }
        if (!PROPAGATIONS.contains(propagation)) {
            throw new UsageException("--propagation must be one of " + String.join(", ", PROPAGATIONS) + ", got '" + propagation + "'");
        }
        if (!SAMPLINGS.contains(sampling)) {
            throw new UsageException("--sampling must be one of " + String.join(", ", SAMPLINGS) + ", got '" + sampling + "'");
        }
        if (sampling.equals("tail") && backend != BackendChoice.JAEGER) { // (the parameters: no field is set yet)
            throw new UsageException("--sampling tail needs --backend jaeger: tail sampling is the collector's tail_sampling"
                    + " processor, and the Zipkin backend runs no collector");
        }
        if (sampling.equals("tail") && sampleRate != 1) {
            throw new UsageException("--sampling tail needs the ingress to trace every request (--sample-rate 1, its default"
                    + " there): the collector decides which traces to keep, and it can only choose among the traces it gets");
        }
    }

    /** Head sampling (the ingress decides, at the first hop) or tail sampling (the collector, after the last). */
    public static final java.util.List<String> SAMPLINGS = java.util.List.of("head", "tail");

    public boolean tailSampling() {
        return sampling.equals("tail");
    }

    /**
     * The trace context formats a pipeline can speak: B3 multi-headers (the 2019 design), W3C traceparent,
     * or a mix of the two, where a hop that knows only one format meets the other.
     */
    public static final java.util.List<String> PROPAGATIONS = java.util.List.of("b3", "w3c", "mixed");

    /** TRACE_PROPAGATION (what it produces) and TRACE_PROPAGATION_ACCEPT of a service, for this pipeline's format. */
    public java.util.Map<String, String> propagationOf(String service) {
        if (!propagation.equals("mixed")) {
            return java.util.Map.of("TRACE_PROPAGATION", propagation);
        }
        return switch (service) {
            case "web-svc" -> java.util.Map.of("TRACE_PROPAGATION", "w3c");
            case "emoji-svc" -> java.util.Map.of("TRACE_PROPAGATION", "b3", "TRACE_PROPAGATION_ACCEPT", "b3");
            default -> java.util.Map.of("TRACE_PROPAGATION", "b3");
        };
    }

    /** The ingress's TRACE_PROPAGATION. */
    public String ingressPropagation() {
        return propagation.equals("mixed") ? "b3" : propagation;
    }

    /** An address of this machine, not a wildcard: anything else is refused before anything starts. */
    static void checkLocal(String address) {
        java.net.InetAddress parsed;
        try {
            parsed = java.net.InetAddress.getByName(address);
        } catch (java.net.UnknownHostException e) {
            throw new UsageException("--listen must be an address of this machine, got '" + address + "' (unknown host)");
        }
        if (parsed.isAnyLocalAddress()) {
            throw new UsageException("--listen needs one address of this machine, not the wildcard " + address
                    + ": a wildcard would put the parts on every interface");
        }
        boolean local;
        try {
            local = parsed.isLoopbackAddress() || java.net.NetworkInterface.getByInetAddress(parsed) != null;
        } catch (java.net.SocketException e) {
            local = false;
        }
        if (!local) {
            throw new UsageException("--listen must be an address of this machine, got " + address
                    + " (no interface of this machine has it)");
        }
    }

    public static PipelineOptions defaults(Path runDir) {
        return new PipelineOptions(0.5, 1, 1.0, null, BackendChoice.ZIPKIN, "b3", null, runDir, false, "head");
    }

    public PipelineOptions withSampleRate(double rate) {
        return new PipelineOptions(rate, botRate, failureRate, artificialDelay, backend, propagation, listen, runDir, detach, sampling);
    }

    public PipelineOptions withBotRate(double rate) {
        return new PipelineOptions(sampleRate, rate, failureRate, artificialDelay, backend, propagation, listen, runDir, detach, sampling);
    }

    public PipelineOptions withArtificialDelay(String delay) {
        return new PipelineOptions(sampleRate, botRate, failureRate, delay, backend, propagation, listen, runDir, detach, sampling);
    }

    public PipelineOptions withListen(String address) {
        return new PipelineOptions(sampleRate, botRate, failureRate, artificialDelay, backend, propagation, address, runDir, detach, sampling);
    }

    /** The address the UI's links and a shared room use: the --listen address, or 127.0.0.1. */
    public String publicHost() {
        return listen == null ? "127.0.0.1" : listen;
    }

    public PipelineOptions withPropagation(String format) {
        return new PipelineOptions(sampleRate, botRate, failureRate, artificialDelay, backend, format, listen, runDir, detach, sampling);
    }

    /** Tail sampling: the collector chooses, so the ingress traces every request. */
    public PipelineOptions withTailSampling() {
        return new PipelineOptions(1, botRate, failureRate, artificialDelay, backend, propagation, listen, runDir, detach, "tail");
    }

    public PipelineOptions withBackend(BackendChoice chosen) {
        return new PipelineOptions(sampleRate, botRate, failureRate, artificialDelay, chosen, propagation, listen, runDir, detach, sampling);
    }
}
