package io.emojivoto.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The launcher's refusals: clear errors before anything starts. */
class PipelineStartTest {

    private static Cli cli() {
        return new Cli(new PrintStream(new ByteArrayOutputStream()), Path.of("target", "cli-test-run"));
    }

    @Test
    void a_taken_port_is_a_clear_error_and_nothing_is_started() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PortPlan plan = PortPlan.free().with("ingress", taken.getLocalPort());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThatThrownBy(() -> Pipeline.start(plan, PipelineOptions.defaults(Path.of("target", "refused")), new PrintStream(out)))
                    .isInstanceOf(LauncherException.class)
                    .hasMessageStartingWith("port " + taken.getLocalPort() + " (ingress) is already taken on 127.0.0.1")
                    .hasMessageContaining("--port-offset");
            assertThat(out.toString()).doesNotContain("starting");
        }
    }

    @Test
    void the_local_port_plan_is_the_one_in_ports_properties_and_an_offset_moves_every_port() {
        PortPlan local = PortPlan.local();
        assertThat(local.ingress()).isEqualTo(8080);
        assertThat(local.zipkin()).isEqualTo(9411);
        assertThat(local.port("jaeger.ui")).isEqualTo(16686);
        assertThat(local.ports().values()).doesNotHaveDuplicates();
        PortPlan moved = PortPlan.local(100);
        local.ports().forEach((key, port) -> assertThat(moved.port(key)).as(key).isEqualTo(port + 100));
    }

    @Test
    void an_offset_that_leaves_the_port_range_is_refused_with_the_range_that_works() {
        assertThatThrownBy(() -> PortPlan.local(60_000)).hasMessageContaining("--port-offset 60000")
                .hasMessageContaining("from " + PortPlan.minOffset() + " to " + PortPlan.maxOffset());
        assertThatThrownBy(() -> cli().run(new String[] {"up", "--port-offset", "-9000"})).isInstanceOf(UsageException.class);
    }

    @Test
    void invalid_values_are_refused_by_name() {
        assertThatThrownBy(() -> PipelineOptions.defaults(Path.of("x")).withSampleRate(1.5)).isInstanceOf(UsageException.class)
                .hasMessageContaining("--sample-rate");
        assertThatThrownBy(() -> PipelineOptions.defaults(Path.of("x")).withBotRate(-1)).hasMessageContaining("--bot-rate");
        assertThatThrownBy(() -> PipelineOptions.defaults(Path.of("x")).withArtificialDelay("soon"))
                .hasMessageContaining("--artificial-delay");
        assertThatThrownBy(() -> cli().run(new String[] {"up", "--sample-rate", "lots"})).isInstanceOf(UsageException.class)
                .hasMessageContaining("--sample-rate must be a number");
        assertThatThrownBy(() -> cli().run(new String[] {"up", "--backend", "elastic"})).isInstanceOf(UsageException.class)
                .hasMessage("--backend must be one of zipkin, jaeger, got 'elastic'");
    }

    @Test
    void tail_sampling_is_a_mode_of_the_jaeger_pipeline_whose_ingress_traces_every_request() {
        assertThatThrownBy(() -> cli().run(new String[] {"up", "--sampling", "tail"})).isInstanceOf(UsageException.class)
                .hasMessageStartingWith("--sampling tail needs --backend jaeger");
        assertThatThrownBy(() -> cli().run(new String[] {"up", "--backend", "jaeger", "--sampling", "tail", "--sample-rate", "0.5"}))
                .isInstanceOf(UsageException.class).hasMessageContaining("--sample-rate 1");
        assertThatThrownBy(() -> cli().run(new String[] {"up", "--sampling", "sideways"})).isInstanceOf(UsageException.class)
                .hasMessage("--sampling must be one of head, tail, got 'sideways'");
        PipelineOptions tail = PipelineOptions.defaults(Path.of("x")).withBackend(BackendChoice.JAEGER).withTailSampling();
        assertThat(tail.sampleRate()).isEqualTo(1.0);
        assertThat(tail.tailSampling()).isTrue();
    }

    @Test
    void trace_takes_one_trace_id_or_last() {
        assertThatThrownBy(() -> cli().run(new String[] {"trace"})).isInstanceOf(UsageException.class)
                .hasMessageContaining("a trace id, or --last");
        assertThatThrownBy(() -> cli().run(new String[] {"trace", "abc", "--last"})).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> cli().run(new String[] {"trace", "463ac35c9f6413ad48485a3953bb612"})).isInstanceOf(UsageException.class)
                .hasMessageContaining("is not a trace id (16 or 32 hex digits");
    }

    @Test
    void an_unknown_option_or_a_missing_value_is_refused_before_anything_starts() {
        assertThatThrownBy(() -> cli().run(new String[] {"up", "--sample-rat", "1"})).isInstanceOf(UsageException.class)
                .hasMessage("up has no option --sample-rat");
        assertThatThrownBy(() -> cli().run(new String[] {"up", "--sample-rate"})).isInstanceOf(UsageException.class)
                .hasMessage("--sample-rate needs a value");
        assertThatThrownBy(() -> cli().run(new String[] {"check", "--requests"})).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> cli().run(new String[] {"status", "now"})).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> cli().run(new String[] {"sideways"})).isInstanceOf(UsageException.class)
                .hasMessage("no command 'sideways'");
    }
}
