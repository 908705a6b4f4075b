package io.emojivoto.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.emojivoto.localrun.FreePort;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * voting-svc is down (a port nothing listens on): what needs it is a quick 503 with a JSON error,
 * and what does not need it (the emoji list) keeps working.
 */
@ExtendWith(Backends.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "web.grpc-deadline=2s")
class WebBackendDownTest {

    private static final int DEAD_PORT = FreePort.next();

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        registry.add("web.emoji-svc-host", () -> Backends.get().emoji().grpcAddress());
        registry.add("web.voting-svc-host", () -> "127.0.0.1:" + DEAD_PORT);
        registry.add("management.tracing.export.zipkin.endpoint", () -> Backends.get().zipkin().spansEndpoint());
    }

    @LocalServerPort
    int port;

    @Test
    void calls_that_need_the_dead_backend_are_a_quick_503_with_a_json_error() {
        for (String path : new String[] {"/api/vote?choice=:joy:", "/api/leaderboard"}) {
            long start = System.nanoTime();
            HttpResponse<String> response = new Http(port).get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(503);
            assertThat(Http.json(response).path("error").asString()).contains("UNAVAILABLE");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as(path).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void calls_that_do_not_need_it_still_work() {
        assertThat(new Http(port).get("/api/list").statusCode()).isEqualTo(200);
    }
}
