package io.emojivoto.launcher;

import io.emojivoto.localrun.JaegerApi;
import io.emojivoto.localrun.ProjectPaths;
import io.emojivoto.localrun.TraceQueryApi;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trace path of Kubernetes on loopback: every part sends Zipkin v2 spans to a collector (Jaeger
 * v2's binary running the collector configuration of tracing.yml), which exports OTLP to Jaeger (the
 * same binary running tracing.yml's Jaeger configuration: a bounded in-memory store, the query API
 * and UI). The collector also counts the spans into RED metrics, which Prometheus scrapes and
 * Jaeger's Monitor tab reads. Every configuration is read from tracing.yml with only its addresses
 * moved to the port plan ({@link TracingManifest}).
 */
final class JaegerProcesses extends BackendProcesses {

    private JaegerUi.Choice ui = JaegerUi.Choice.placeholder("not started");

    JaegerProcesses(PortPlan ports, PipelineOptions options, Pipeline pipeline) {
        super(ports, options, pipeline);
    }

    @Override
    String uiServes() {
        return ui.source();
    }

    /** Where each listener of the collector's configuration goes locally. */
    Map<String, String> collectorAddresses() {
        Map<String, String> addresses = new LinkedHashMap<>();
        addresses.put("0.0.0.0:9411", Pipeline.local(ports.zipkin()));
        addresses.put("0.0.0.0:4317", Pipeline.local(ports.port("collector.otlp-grpc")));
        addresses.put("0.0.0.0:4318", Pipeline.local(ports.port("collector.otlp-http")));
        addresses.put("0.0.0.0:8889", Pipeline.local(ports.port("collector.spanmetrics")));
        addresses.put("jaeger.tracing:4317", Pipeline.local(ports.port("jaeger.otlp-grpc")));
        addresses.put("host: 0.0.0.0", "host: 127.0.0.1");
        addresses.put("port: 8888", "port: " + ports.port("collector.metrics"));
        return addresses;
    }

    /** Where Prometheus scrapes locally. */
    Map<String, String> prometheusAddresses() {
        return Map.of("collector.tracing:8889", Pipeline.local(ports.port("collector.spanmetrics")));
    }

    /** Where each listener of Jaeger's configuration goes locally. */
    Map<String, String> jaegerAddresses() {
        Map<String, String> addresses = new LinkedHashMap<>();
        addresses.put("0.0.0.0:4317", Pipeline.local(ports.port("jaeger.otlp-grpc")));
        addresses.put("0.0.0.0:16686", host() + ":" + ports.port("jaeger.ui")); // the UI, and the query API it reads
        addresses.put("0.0.0.0:16685", Pipeline.local(ports.port("jaeger.query-grpc")));
        addresses.put("0.0.0.0:13133", Pipeline.local(ports.port("jaeger.health")));
        addresses.put("http://prometheus.tracing:9090", loopback(ports.port("prometheus")));
        addresses.put("host: 0.0.0.0", "host: 127.0.0.1");
        addresses.put("port: 8888", "port: " + ports.port("jaeger.metrics"));
        return addresses;
    }

    @Override
    void launch() {
        String jaeger = JaegerBinary.resolve(pipeline.out());
        TracingManifest manifest = TracingManifest.read(ProjectPaths.root().resolve("tracing.yml"));
        Path dir = options.runDir().resolve("jaeger");
        // Head sampling: the collector passes on what the ingress chose. Tail sampling: its variant chooses.
        String collectorFile = options.tailSampling() ? TracingManifest.COLLECTOR_TAIL_SAMPLING : TracingManifest.COLLECTOR;
        Path collectorConfig = dir.resolve(collectorFile);
        Path jaegerConfig = dir.resolve(TracingManifest.JAEGER);
        Path prometheusConfig = dir.resolve(TracingManifest.PROMETHEUS);
        Path prometheusData = options.runDir().resolve("prometheus");
        try {
            Files.createDirectories(dir);
            Files.writeString(collectorConfig, manifest.localText(collectorFile, collectorAddresses()));
            Files.writeString(jaegerConfig, manifest.localText(TracingManifest.JAEGER, jaegerAddresses()));
            Files.writeString(prometheusConfig, manifest.localText(TracingManifest.PROMETHEUS, prometheusAddresses()));
            io.emojivoto.localrun.Directories.deleteTree(prometheusData); // a new run's Monitor tab starts empty
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Prometheus first: Jaeger's Monitor tab asks it, and it scrapes the collector once that is up.
        List<String> prometheusCommand = new ArrayList<>(List.of(PrometheusBinary.resolve()));
        prometheusCommand.addAll(manifest.localArgs("prometheus", Map.of(
                "/conf/prometheus.yml", prometheusConfig.toString(), "=/prometheus", "=" + prometheusData)));
        prometheusCommand.add("--web.listen-address=" + Pipeline.local(ports.port("prometheus")));
        pipeline.launch("prometheus", prometheusCommand, Map.of(), loopback(ports.port("prometheus")) + "/-/ready",
                loopback(ports.port("prometheus")));
        List<String> jaegerCommand = new ArrayList<>(List.of(jaeger, "--config=" + jaegerConfig));
        Path tools = ProjectPaths.root().resolve("tools/jaeger");
        ui = JaegerUi.resolve(pipeline.out(), System.getenv("JAEGER_UI_ASSETS"), tools, JaegerUi.Release.pinned(tools));
        if (ui.assets() != null) { // the real UI, served in place of the placeholder a binary built from the module has
            jaegerCommand.add("--set=extensions.jaeger_query.ui.assets_path=" + ui.assets());
        }
        // As in tracing.yml's Deployment: Go's collector works harder as the heap nears this.
        pipeline.launch("jaeger", jaegerCommand, Map.of("GOMEMLIMIT", "800MiB"), healthUrls().get(1), uiUrl());
        pipeline.launch("collector", List.of(jaeger, "--config=" + collectorConfig), Map.of(), healthUrls().get(0),
                "zipkin " + Pipeline.local(ports.zipkin()));
    }

    /** The collector answers on its metrics endpoint (it has no health extension both builds share); Jaeger on healthcheckv2. */
    private List<String> healthUrls() {
        return List.of(loopback(ports.port("collector.metrics")) + "/metrics", loopback(ports.port("jaeger.health")) + "/status");
    }

    /** Where Jaeger's UI and query API listen: the --listen address (Jaeger takes one), else loopback. */
    private String host() {
        return options == null ? "127.0.0.1" : options.publicHost();
    }

    @Override
    TraceQueryApi api() {
        return new JaegerApi(publicUrl(ports.port("jaeger.ui")), healthUrls());
    }

    @Override
    String uiUrl() {
        return publicUrl(ports.port("jaeger.ui")) + "/";
    }

    @Override
    String traceUrlTemplate() {
        return publicUrl(ports.port("jaeger.ui")) + "/trace/{traceId}";
    }

    @Override
    boolean uses(String portKey) {
        return true; // the collector takes the zipkin port, besides the collector's and Jaeger's own
    }

    /**
     * Prometheus: PROMETHEUS_BIN, else the one on the PATH (Debian's package, which `./emojivoto up
     * --backend jaeger` installs when it can). Only the binary: the system service that package
     * enables, listening on all interfaces at :9090, is never used.
     */
    static final class PrometheusBinary {

        static final String INSTALL_HINT = "sudo apt-get install -y --no-install-recommends prometheus";

        static String resolve() {
            return resolve(System.getenv("PROMETHEUS_BIN"), System.getenv("PATH"));
        }

        static String resolve(String given, String path) {
            if (given != null && !given.isBlank()) {
                if (!Files.isExecutable(Path.of(given))) {
                    throw new LauncherException("PROMETHEUS_BIN=" + given + " is not an executable file");
                }
                return Path.of(given).toAbsolutePath().toString();
            }
            for (String dir : (path == null ? "" : path).split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "prometheus"))) {
                    return Path.of(dir, "prometheus").toAbsolutePath().toString();
                }
            }
            throw new LauncherException("--backend jaeger runs Prometheus for Jaeger's Monitor tab, and there is none: "
                    + INSTALL_HINT + " (Debian/Ubuntu), or name one with PROMETHEUS_BIN");
        }
    }

    /** The Jaeger v2 binary: JAEGER_BIN, or the one tools/jaeger/build.sh builds with Go (once). */
    static final class JaegerBinary {

        static String resolve(java.io.PrintStream out) {
            String given = System.getenv("JAEGER_BIN");
            if (given != null && !given.isBlank()) {
                if (!Files.isExecutable(Path.of(given))) {
                    throw new LauncherException("JAEGER_BIN=" + given + " is not an executable file");
                }
                return Path.of(given).toAbsolutePath().toString();
            }
            Path tools = ProjectPaths.root().resolve("tools/jaeger");
            int status = run(List.of("bash", tools.resolve("build.sh").toString()), out);
            if (status == 3) {
                throw new LauncherException("--backend jaeger needs Go 1.24.6 or newer to build Jaeger v2 (https://go.dev/dl/),"
                        + " or JAEGER_BIN set to a Jaeger v2 binary; --backend zipkin needs neither");
            }
            if (status != 0) {
                throw new LauncherException("building Jaeger v2 failed (above); nothing was started");
            }
            return tools.resolve("target/jaeger").toString();
        }

        /** Runs the build, its output shown as it comes (progress), and returns its exit status. */
        private static int run(List<String> command, java.io.PrintStream out) {
            try {
                Process build = new ProcessBuilder(command).redirectErrorStream(true).start();
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(build.getInputStream(), StandardCharsets.UTF_8))) {
                    lines.lines().forEach(line -> out.println("  " + line));
                }
                return build.waitFor();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LauncherException("interrupted while building Jaeger");
            }
        }
    }
}
