package io.emojivoto.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The launcher's refusals: clear one-line errors before anything starts. */
class PipelineStartTest {

    @Test
    void a_taken_port_is_a_clear_error_and_nothing_is_started() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PortPlan free = PortPlan.free();
            PortPlan plan = new PortPlan(taken.getLocalPort(), free.ingressStatus(), free.zipkin(), free.webSvc(), free.webSvcApp(),
                    free.webSvcOutbound(), free.webSvcAdmin(), free.emojiSvc(), free.emojiSvcApp(), free.emojiSvcHttp(),
                    free.emojiSvcAdmin(), free.votingSvc(), free.votingSvcApp(), free.votingSvcHttp(), free.votingSvcAdmin());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThatThrownBy(() -> Pipeline.start(plan, PipelineOptions.defaults(Path.of("target", "refused")), new PrintStream(out)))
                    .isInstanceOf(LauncherException.class)
                    .hasMessage("port " + taken.getLocalPort() + " (ingress) is already taken on 127.0.0.1"
                            + " — is another pipeline running? ./emojivoto status");
            assertThat(out.toString()).doesNotContain("starting");
        }
    }

    @Test
    void the_local_port_plan_is_the_one_in_ports_properties() {
        PortPlan local = PortPlan.local();
        assertThat(local.ingress()).isEqualTo(8080);
        assertThat(local.zipkin()).isEqualTo(9411);
        assertThat(local.byName().values()).doesNotHaveDuplicates().hasSize(15);
    }

    @Test
    void invalid_options_are_refused_by_name() {
        assertThatThrownBy(() -> new PipelineOptions(1.5, 1, 1, null, Path.of("x"), false)).hasMessageContaining("--sample-rate");
        assertThatThrownBy(() -> new PipelineOptions(0.5, -1, 1, null, Path.of("x"), false)).hasMessageContaining("--bot-rate");
        assertThatThrownBy(() -> Cli.run(new String[] {"up", "--sample-rate", "lots"})).hasMessageContaining("--sample-rate must be a number");
    }
}
