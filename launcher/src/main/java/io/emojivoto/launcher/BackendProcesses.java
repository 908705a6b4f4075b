package io.emojivoto.launcher;

import io.emojivoto.localrun.Jdk;
import io.emojivoto.localrun.StartCache;
import io.emojivoto.localrun.TraceQueryApi;
import io.emojivoto.localrun.ZipkinApi;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The processes behind the trace backend of a local run, and how the rest of the pipeline reaches
 * them: where spans go (always the Zipkin v2 endpoint on the plan's {@code zipkin} port), where the
 * UI links, and the query API that `check` reads.
 */
abstract class BackendProcesses {

    final PortPlan ports;
    final PipelineOptions options;
    final Pipeline pipeline;

    BackendProcesses(PortPlan ports, PipelineOptions options, Pipeline pipeline) {
        this.ports = ports;
        this.options = options;
        this.pipeline = pipeline;
    }

    static BackendProcesses of(BackendChoice backend, PortPlan ports, PipelineOptions options, Pipeline pipeline) {
        return switch (backend) {
            case ZIPKIN -> new ZipkinProcesses(ports, options, pipeline);
            case JAEGER -> new JaegerProcesses(ports, options, pipeline);
        };
    }

    /** The query API of a running pipeline's backend, from its recorded port plan and --listen address. */
    static TraceQueryApi api(BackendChoice backend, PortPlan ports, String listen) {
        return of(backend, ports, PipelineOptions.defaults(java.nio.file.Path.of(".")).withListen(listen), null).api();
    }

    /** Starts the backend's processes as parts of the pipeline (not awaited here). */
    abstract void launch();

    /** The start cache of a backend that is a Spring Boot jar (Zipkin's); none for the others. */
    Optional<StartCache> startCache(Jdk jdk) {
        return Optional.empty();
    }

    abstract TraceQueryApi api();

    /** The trace UI's start page. */
    abstract String uiUrl();

    /** What the trace UI serves, for status, where there is a choice (Jaeger's: jaeger-ui, or its placeholder page). */
    String uiServes() {
        return "";
    }

    /** web-svc's TRACE_UI_URL: a trace's page, with {traceId} in it. */
    abstract String traceUrlTemplate();

    /** Whether the backend listens on this port of the plan (other backends' ports need not be free). */
    abstract boolean uses(String portKey);

    static String loopback(int port) {
        return "http://127.0.0.1:" + port;
    }

    /** Where a browser reaches a UI: the --listen address, else loopback. */
    String publicUrl(int port) {
        return "http://" + (options == null ? "127.0.0.1" : options.publicHost()) + ":" + port;
    }

    /**
     * The Zipkin server: collector, in-memory store and UI in one Java process. Its store holds at
     * most {@link #MAX_SPANS} spans and evicts the oldest traces beyond that, which the heap is
     * sized for: a span costs Zipkin's store about 2 KB, so 150,000 spans and the server's own
     * ~50 MB fit in 512 MB with room for queries (docs/benchmarks.md, the backend soak). Without
     * the bound, the default of 500,000 spans outgrows the heap within minutes of leaderboards
     * (~370 spans a trace) and the server dies of OutOfMemoryError.
     */
    static final class ZipkinProcesses extends BackendProcesses {

        static final int MAX_SPANS = 150_000;
        static final List<String> JVM = List.of("-Xms32m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-XX:+ExitOnOutOfMemoryError");

        ZipkinProcesses(PortPlan ports, PipelineOptions options, Pipeline pipeline) {
            super(ports, options, pipeline);
        }

        @Override
        void launch() {
            pipeline.launch("zipkin", pipeline.javaCommand("zipkin", Launcher.zipkinJar(), JVM), env(),
                    loopback(ports.zipkin()) + "/health", uiUrl());
        }

        @Override
        Optional<StartCache> startCache(Jdk jdk) {
            return Optional.of(StartCache.of("zipkin", Launcher.zipkinJar(), JVM, env(), jdk));
        }

        private Map<String, String> env() {
            Map<String, String> env = new java.util.HashMap<>(Map.of("STORAGE_TYPE", "mem", "MEM_MAX_SPANS", Integer.toString(MAX_SPANS),
                    // Armeria, not server.address, decides what Zipkin binds: all three keys pin it to loopback.
                    "ARMERIA_PORTS_0_IP", "127.0.0.1", "ARMERIA_PORTS_0_PORT", Integer.toString(ports.zipkin()),
                    "ARMERIA_PORTS_0_PROTOCOLS_0", "http"));
            if (options.listen() != null) { // the UI (and with it the API it reads) for a room, too
                env.putAll(Map.of("ARMERIA_PORTS_1_IP", options.listen(), "ARMERIA_PORTS_1_PORT", Integer.toString(ports.zipkin()),
                        "ARMERIA_PORTS_1_PROTOCOLS_0", "http"));
            }
            return env;
        }

        @Override
        TraceQueryApi api() {
            return new ZipkinApi(loopback(ports.zipkin()));
        }

        @Override
        String uiUrl() {
            return publicUrl(ports.zipkin()) + "/zipkin/";
        }

        @Override
        String traceUrlTemplate() {
            return publicUrl(ports.zipkin()) + "/zipkin/traces/{traceId}";
        }

        @Override
        boolean uses(String portKey) {
            return !portKey.startsWith("collector.") && !portKey.startsWith("jaeger.") && !portKey.equals("prometheus");
        }
    }
}
