package io.emojivoto.spanreporter;

import static org.assertj.core.api.Assertions.assertThat;

import brave.Span;
import brave.Tracing;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Spans queued by the request threads and sent by the timer: batched, none lost, nothing sent when idle. */
class SpanReporterTest {

    private HttpServer collector;
    private final List<String> messages = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        collector.createContext("/api/v2/spans", exchange -> {
            messages.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        collector.start();
    }

    @AfterEach
    void stop() {
        collector.stop(0);
    }

    private String endpoint() {
        return "http://127.0.0.1:" + collector.getAddress().getPort() + "/api/v2/spans";
    }

    private static void finishSpans(Tracing tracing, int n) {
        for (int i = 0; i < n; i++) {
            Span span = tracing.tracer().newTrace().name("span " + i).start();
            span.finish();
        }
    }

    @Test
    void spans_arrive_in_a_few_messages_and_an_idle_reporter_sends_nothing() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (SpanReporter reporter = SpanReporter.start(endpoint(), meters, null);
             Tracing tracing = Tracing.newBuilder().localServiceName("test").addSpanHandler(reporter.handler()).build()) {
            finishSpans(tracing, 500);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> messages.stream().mapToLong(m -> m.split("\"traceId\"").length - 1).sum() == 500);
            assertThat(messages.size()).as("batched, not a message per span").isLessThan(10);
            int sent = messages.size();
            Thread.sleep(4 * SpanReporter.FLUSH_EVERY_MS); // several timer ticks with nothing queued
            assertThat(messages).as("no empty messages while idle").hasSize(sent);
            assertThat(meters.get("zipkin.reporter.spans.total").counter().count()).isEqualTo(500);
        }
    }

    @Test
    void close_sends_what_is_still_queued() {
        try (Tracing tracing = Tracing.newBuilder().localServiceName("test").build()) {
            SpanReporter reporter = SpanReporter.start(endpoint(), new SimpleMeterRegistry(), null);
            Tracing reporting = Tracing.newBuilder().localServiceName("test").addSpanHandler(reporter.handler()).build();
            finishSpans(reporting, 3);
            reporter.close(); // before the timer's first tick
            reporting.close();
            assertThat(messages).hasSize(1).allSatisfy(m -> assertThat(m.split("\"traceId\"")).hasSize(4));
        }
    }

    @Test
    void a_dead_collector_costs_the_caller_nothing_and_the_loss_is_counted() {
        collector.stop(0);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (SpanReporter reporter = SpanReporter.start(endpoint(), meters, null);
             Tracing tracing = Tracing.newBuilder().localServiceName("test").addSpanHandler(reporter.handler()).build()) {
            long start = System.nanoTime();
            finishSpans(tracing, 200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> meters.get("zipkin.reporter.spans.dropped").counter().count() == 200);
        }
    }
}
