package io.emojivoto.launcher;

import io.emojivoto.localrun.TraceBackend;

/** Placeholder until the Jaeger backend is written. */
final class JaegerParts extends TraceBackendParts {
    JaegerParts(PortPlan ports, PipelineOptions options, Pipeline pipeline) {
        super(ports, options, pipeline);
    }

    @Override
    void launch() {
        throw new LauncherException("--backend jaeger is not there yet");
    }

    @Override
    TraceBackend api() {
        throw new LauncherException("--backend jaeger is not there yet");
    }

    @Override
    String uiUrl() {
        return loopback(ports.port("jaeger.ui")) + "/";
    }

    @Override
    String traceUrlTemplate() {
        return loopback(ports.port("jaeger.ui")) + "/trace/{traceId}";
    }

    @Override
    boolean uses(String portKey) {
        return !portKey.equals("zipkin") || true;
    }
}
