package io.emojivoto.emoji;

import static org.assertj.core.api.Assertions.assertThat;

import io.emojivoto.api.v1.EmojiServiceGrpc;
import io.emojivoto.api.v1.FindByShortcodeRequest;
import io.emojivoto.api.v1.ListAllEmojiRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/** EmojiService over a real gRPC channel on a real port. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.grpc.server.port=0", "management.tracing.export.enabled=false"})
class EmojiGrpcServiceTest {

    @TestConfiguration
    static class PortCapture {
        static final AtomicInteger PORT = new AtomicInteger();

        @Bean
        ApplicationListener<GrpcServerStartedEvent> grpcPort() {
            return event -> PORT.set(event.getPort());
        }
    }

    @Autowired
    PortCapture portCapture;

    private ManagedChannel channel;
    private EmojiServiceGrpc.EmojiServiceBlockingStub emoji;

    @BeforeEach
    void connect() {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", PortCapture.PORT.get()).usePlaintext().build();
        emoji = EmojiServiceGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void close() {
        channel.shutdownNow();
    }

    @Test
    void list_all_returns_the_99_emoji_in_the_original_order() {
        var list = emoji.listAll(ListAllEmojiRequest.getDefaultInstance()).getListList();
        assertThat(list).hasSize(99);
        assertThat(list.get(0).getShortcode()).isEqualTo(":joy:");
        assertThat(list.get(0).getUnicode()).isEqualTo("\uD83D\uDE02");
        assertThat(list.get(3).getShortcode()).isEqualTo(":stuck_out_tongue_winking_eye:");
        assertThat(list.get(98).getShortcode()).isEqualTo(":poop:");
    }

    @Test
    void find_by_shortcode_is_an_exact_match() {
        var found = emoji.findByShortcode(FindByShortcodeRequest.newBuilder().setShortcode(":ghost:").build());
        assertThat(found.hasEmoji()).isTrue();
        assertThat(found.getEmoji().getUnicode()).isEqualTo("\uD83D\uDC7B");
    }

    @Test
    void an_unknown_shortcode_is_an_empty_answer_not_an_error() {
        for (String unknown : new String[] {"doesnt-really-exist", ":GHOST:", "ghost", "", ":relaxed:", ":ghost: "}) {
            var response = emoji.findByShortcode(FindByShortcodeRequest.newBuilder().setShortcode(unknown).build());
            assertThat(response.hasEmoji()).as(unknown).isFalse();
        }
    }

    @Test
    void serves_the_standard_grpc_health_service() {
        HealthCheckResponse health = HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance());
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }
}
