package io.emojivoto.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emojivoto.localrun.ProjectPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What `up --backend jaeger` takes from tracing.yml besides the configurations (Prometheus's flags),
 * and how it finds the Prometheus binary it runs them with.
 */
class TracingManifestTest {

    @TempDir
    Path dir;

    private final TracingManifest manifest = TracingManifest.read(ProjectPaths.root().resolve("tracing.yml"));

    @Test
    void prometheus_runs_its_deployments_flags_with_only_its_paths_moved() {
        List<String> args = manifest.localArgs("prometheus", Map.of("/conf/prometheus.yml", "/run/p.yml", "=/prometheus", "=/run/data"));
        assertThat(args).containsExactly("--config.file=/run/p.yml", "--storage.tsdb.path=/run/data", "--storage.tsdb.retention.time=1h");
    }

    @Test
    void a_flag_the_local_run_moves_but_the_manifest_lost_is_a_clear_error() {
        assertThatThrownBy(() -> manifest.localArgs("prometheus", Map.of("/etc/prometheus.yml", "/run/p.yml")))
                .isInstanceOf(LauncherException.class).hasMessageContaining("'/etc/prometheus.yml'").hasMessageContaining("TracingManifest");
        assertThatThrownBy(() -> manifest.localArgs("grafana", Map.of())).hasMessageContaining("no container 'grafana'");
    }

    @Test
    @SuppressWarnings("unchecked")
    void check_waits_for_the_tail_samplers_decision_and_its_export_before_it_calls_a_trace_dropped() {
        Map<String, Object> collector = new org.yaml.snakeyaml.Yaml().load(manifest.text(TracingManifest.COLLECTOR_TAIL_SAMPLING));
        Map<String, Object> tail = (Map<String, Object>) ((Map<String, Object>) collector.get("processors")).get("tail_sampling");
        java.time.Duration decisionWait = java.time.Duration.parse("PT" + tail.get("decision_wait").toString().toUpperCase());
        assertThat(decisionWait).as("a lab sees the decision within seconds").isLessThanOrEqualTo(java.time.Duration.ofSeconds(10));
        assertThat(TraceCheck.TAIL_DECIDED_WITHIN).isGreaterThanOrEqualTo(decisionWait.plusSeconds(5));
    }

    @Test
    void prometheus_is_prometheus_bin_else_the_one_on_the_path_else_a_line_saying_how_to_install_it() throws Exception {
        Path onPath = Files.createDirectories(dir.resolve("bin")).resolve("prometheus");
        Files.writeString(onPath, "#!/bin/sh\n");
        Files.setPosixFilePermissions(onPath, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path named = dir.resolve("prometheus-2.53");
        Files.copy(onPath, named);

        assertThat(JaegerProcesses.PrometheusBinary.resolve(named.toString(), dir.resolve("bin").toString())).isEqualTo(named.toString());
        assertThat(JaegerProcesses.PrometheusBinary.resolve(null, "/nowhere:" + dir.resolve("bin"))).isEqualTo(onPath.toString());
        assertThatThrownBy(() -> JaegerProcesses.PrometheusBinary.resolve(dir.resolve("missing").toString(), null))
                .hasMessageContaining("PROMETHEUS_BIN=").hasMessageContaining("not an executable file");
        assertThatThrownBy(() -> JaegerProcesses.PrometheusBinary.resolve("", "/nowhere"))
                .hasMessageContaining(JaegerProcesses.PrometheusBinary.INSTALL_HINT).hasMessageContaining("PROMETHEUS_BIN");
    }
}
