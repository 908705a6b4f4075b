package io.emojivoto.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.emojivoto.api.v1.Emoji;
import io.emojivoto.api.v1.EmojiServiceGrpc;
import io.emojivoto.api.v1.FindByShortcodeRequest;
import io.emojivoto.api.v1.FindByShortcodeResponse;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * TRACE_PROPAGATION picks the only format web-svc sends on: B3 multi-headers (b3) or a W3C traceparent
 * (w3c), whatever format came in; its response echoes the trace in the same format. An emoji-svc stand-in
 * records the metadata of each call it gets.
 */
class WebPropagationTest {

    private static final AtomicReference<Set<String>> lastKeys = new AtomicReference<>(Set.of());
    private static final AtomicReference<Metadata> lastHeaders = new AtomicReference<>(new Metadata());
    private static final Server emoji = start();

    private static Server start() {
        ServerInterceptor recordKeys = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                lastKeys.set(headers.keys());
                lastHeaders.set(headers);
                return next.startCall(call, headers);
            }
        };
        EmojiServiceGrpc.EmojiServiceImplBase service = new EmojiServiceGrpc.EmojiServiceImplBase() {
            @Override
            public void findByShortcode(FindByShortcodeRequest request, StreamObserver<FindByShortcodeResponse> response) {
                response.onNext(FindByShortcodeResponse.newBuilder()
                        .setEmoji(Emoji.newBuilder().setShortcode(request.getShortcode()).setUnicode("?")).build());
                response.onCompleted();
            }
        };
        try {
            return ServerBuilder.forPort(0).addService(ServerInterceptors.intercept(service, recordKeys)).build().start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        emoji.shutdownNow();
    }

    static void pointAtTheStandIn(DynamicPropertyRegistry registry) {
        registry.add("web.emoji-svc-host", () -> "127.0.0.1:" + emoji.getPort());
        registry.add("web.voting-svc-host", () -> "127.0.0.1:" + emoji.getPort());
        registry.add("management.tracing.export.zipkin.endpoint", () -> "http://127.0.0.1:9/api/v2/spans"); // nowhere: dropped
    }

    /** A lookup that fails at voting (no voting service here) but makes its FindByShortcode call first. */
    static java.net.http.HttpResponse<String> vote(int port, String... headers) {
        return new Http(port).get("/api/vote?choice=:joy:", headers);
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "TRACE_PROPAGATION=w3c")
    class W3c {

        @DynamicPropertySource
        static void backends(DynamicPropertyRegistry registry) {
            pointAtTheStandIn(registry);
        }

        @LocalServerPort
        int port;

        @Test
        void it_sends_only_a_traceparent_whatever_came_in_and_answers_with_traceresponse() {
            var response = vote(port, "X-B3-TraceId", "463ac35c9f6413ad48485a3953bb6124", "X-B3-SpanId", "a2fb4a1d1a96d312",
                    "X-B3-Sampled", "1");
            assertThat(lastKeys.get()).contains("traceparent").noneMatch(key -> key.startsWith("x-b3-") || key.equals("b3"));
            assertThat(response.headers().firstValue("traceresponse"))
                    .hasValueSatisfying(v -> assertThat(v).matches("00-463ac35c9f6413ad48485a3953bb6124-[0-9a-f]{16}-01"));
            assertThat(response.headers().firstValue("X-B3-TraceId")).isEmpty();
        }

        @Test
        void the_learners_baggage_goes_on_in_the_w3c_baggage_header() {
            vote(port, "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "baggage", "learner=ada");
            assertThat(lastHeaders.get().get(Metadata.Key.of("baggage", Metadata.ASCII_STRING_MARSHALLER))).contains("learner=ada");
            // (Brave also writes the field under its own name, `learner`: Spring Boot's remote-fields property does both.)
            assertThat(lastKeys.get()).doesNotContain("baggage-learner");
        }
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    class B3 {

        @DynamicPropertySource
        static void backends(DynamicPropertyRegistry registry) {
            pointAtTheStandIn(registry);
        }

        @LocalServerPort
        int port;

        @Test
        void it_sends_only_b3_multi_headers_whatever_came_in() {
            var response = vote(port, "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
            assertThat(lastKeys.get()).contains("x-b3-traceid", "x-b3-spanid", "x-b3-sampled").doesNotContain("traceparent", "b3");
            assertThat(response.headers().firstValue("X-B3-TraceId")).hasValue("4bf92f3577b34da6a3ce929d0e0e4736");
            assertThat(response.headers().firstValue("traceresponse")).isEmpty();
        }

        @Test
        void the_learners_baggage_goes_on_as_baggage_learner() {
            vote(port, "X-B3-TraceId", "463ac35c9f6413ad48485a3953bb6124", "X-B3-SpanId", "a2fb4a1d1a96d312", "X-B3-Sampled", "1",
                    "baggage-learner", "ada");
            assertThat(lastHeaders.get().get(Metadata.Key.of("baggage-learner", Metadata.ASCII_STRING_MARSHALLER))).isEqualTo("ada");
            assertThat(lastKeys.get()).doesNotContain("baggage", "learner");
        }
    }
}
