package io.emojivoto.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransportTest {

    @Test
    void auto_takes_the_first_transport_that_runs_here() {
        Transport first = Arrays.stream(Transport.values()).filter(Transport::available).findFirst().orElseThrow();
        assertThat(Transport.select("auto")).isEqualTo(first);
        assertThat(Transport.select(" AUTO ")).isEqualTo(first);
    }

    @Test
    void a_named_transport_is_taken_as_named() {
        assertThat(Transport.select("nio")).isEqualTo(Transport.NIO);
        for (Transport transport : Transport.values()) {
            if (transport.available()) {
                assertThat(Transport.select(transport.configName())).isEqualTo(transport);
            } else {
                assertThatThrownBy(() -> Transport.select(transport.configName()))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not available");
            }
        }
    }

    @Test
    void an_unknown_transport_is_a_configuration_error() {
        assertThatThrownBy(() -> ProxyConfig.fromEnvironment(Map.of("INBOUND_LISTEN", "127.0.0.1:0",
                "APP_ADDRESS", "127.0.0.1:1", "TRANSPORT", "kqueue")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TRANSPORT must be auto, io_uring, epoll or nio");
    }

    @Test
    void linux_with_its_native_libraries_has_epoll() {
        // The jar ships the x86_64 libraries; on that platform a missing epoll means a packaging regression.
        if (System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64")) {
            assertThat(Transport.EPOLL.available()).isTrue();
        }
    }
}
