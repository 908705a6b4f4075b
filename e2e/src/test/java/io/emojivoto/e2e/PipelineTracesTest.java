package io.emojivoto.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.emojivoto.launcher.ExpectedTrace;
import io.emojivoto.launcher.TraceCheck;
import io.emojivoto.localrun.StoredSpan;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** Trace structure through the whole pipeline, read back through Zipkin's API. */
@ExtendWith(RunningPipeline.class)
@Order(1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineTracesTest {

    private static final PrintStream QUIET = new PrintStream(java.io.OutputStream.nullOutputStream());

    @Test
    @Order(1)
    void a_thousand_requests_give_complete_traces_for_the_sampled_and_nothing_for_the_rest() throws Exception {
        TraceCheck check = new TraceCheck(RunningPipeline.get().ingressUrl(), RunningPipeline.ingressStatusUrl(),
                RunningPipeline.backend(), Duration.ofSeconds(60));
        TraceCheck.Report report = check.run(1000, QUIET);
        report.print(System.out, false);
        assertThat(report.ok()).as(report.verdict()).isTrue();
        assertThat(report.requests()).isEqualTo(1000);
        assertThat(report.sent()).allSatisfy(s -> assertThat(s.status()).as(s.path()).isIn(200, 500));
        assertThat(report.share()).isBetween(report.low(), report.high());
        assertThat(report.low()).isGreaterThan(0.42);
        assertThat(report.partial()).as("partial traces").isEmpty();
        assertThat(report.unsampledWithSpans()).as("spans of unsampled requests").isEmpty();
        assertThat(report.complete()).isEqualTo(report.sampled()).isGreaterThan(400);
    }

    @Test
    @Order(2)
    void a_vote_trace_has_the_shape_of_contract_5() throws Exception {
        List<StoredSpan> spans = RunningPipeline.completeTrace(RunningPipeline.sampled("/api/vote?choice=:joy:"), "/api/vote");
        assertThat(spans).hasSize(11);
        assertThat(spans.stream().map(StoredSpan::serviceName).distinct()).containsExactlyInAnyOrderElementsOf(ExpectedTrace.SERVICES);
        assertThat(spans.stream().map(StoredSpan::id).distinct()).as("each hop's span is its own").hasSize(11);
        assertThat(spans).filteredOn(s -> s.serviceName().equals("voting-svc"))
                .singleElement().satisfies(s -> assertThat(s.name()).isEqualToIgnoringCase("emojivoto.v1.VotingService/VoteJoy"));
    }

    @Test
    void every_tag_and_event_of_a_vote_a_failed_vote_and_a_leaderboard_is_in_the_span_vocabulary() throws Exception {
        java.util.Set<String> tags = constants(io.emojivoto.spanvocabulary.SpanVocabulary.class);
        java.util.Set<String> events = constants(io.emojivoto.spanvocabulary.SpanVocabulary.Event.class);
        for (String path : new String[] {"/api/vote?choice=:joy:", "/api/vote?choice=:doughnut:", "/api/leaderboard"}) {
            HttpResponse<String> response = RunningPipeline.sampled(path);
            for (StoredSpan span : RunningPipeline.completeTrace(response, path.replaceAll("\\?.*", ""))) {
                assertThat(tags).as(path + ": " + span + " (docs/spans.md)").containsAll(span.tags().keySet());
                assertThat(events).as(path + ": " + span + " (docs/spans.md)").containsAll(span.annotations());
            }
        }
    }

    private static java.util.Set<String> constants(Class<?> type) throws IllegalAccessException {
        java.util.Set<String> values = new java.util.TreeSet<>();
        for (java.lang.reflect.Field field : type.getDeclaredFields()) {
            if (java.lang.reflect.Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                values.add((String) field.get(null));
            }
        }
        return values;
    }

    @Test
    @Order(3)
    void the_doughnut_error_shows_on_the_voting_span_and_on_every_span_above_it() throws Exception {
        HttpResponse<String> response = RunningPipeline.sampled("/api/vote?choice=:doughnut:");
        assertThat(response.statusCode()).isEqualTo(500);
        List<StoredSpan> spans = RunningPipeline.completeTrace(response, "/api/vote");
        Map<String, StoredSpan> byId = spans.stream().collect(Collectors.toMap(StoredSpan::id, Function.identity()));
        StoredSpan voting = spans.stream().filter(s -> s.serviceName().equals("voting-svc")).findFirst().orElseThrow();
        List<String> chain = new ArrayList<>();
        for (StoredSpan s = voting; s != null; s = s.parentId() == null ? null : byId.get(s.parentId())) {
            assertThat(s.tags()).as(s + " carries the error").containsKey("error");
            chain.add(s.serviceName() + " " + s.kind());
        }
        assertThat(chain).containsExactly("voting-svc SERVER", "voting-svc-proxy SERVER", "web-svc-proxy CLIENT",
                "web-svc CLIENT", "web-svc SERVER", "web-svc-proxy SERVER", "ingress SERVER");
        assertThat(spans).filteredOn(s -> s.serviceName().equals("emoji-svc")).allSatisfy(
                s -> assertThat(s.tags()).as("the emoji lookup succeeded").doesNotContainKey("error"));
    }

    @Test
    @Order(4)
    void the_artificial_delay_is_the_voting_spans_duration() throws Exception {
        List<StoredSpan> spans = RunningPipeline.completeTrace(RunningPipeline.sampled("/api/vote?choice=:rocket:"), "/api/vote");
        StoredSpan voting = spans.stream().filter(s -> s.serviceName().equals("voting-svc")).findFirst().orElseThrow();
        long delayMicros = Duration.parse("PT" + RunningPipeline.ARTIFICIAL_DELAY.replace("ms", "") .concat("S")).toMillis();
        assertThat(voting.duration()).isGreaterThanOrEqualTo(40_000L);
        StoredSpan emoji = spans.stream().filter(s -> s.serviceName().equals("emoji-svc")).findFirst().orElseThrow();
        assertThat(emoji.duration()).as("only votes are delayed").isLessThan(voting.duration());
        assertThat(delayMicros).isPositive();
    }

    @Test
    @Order(5)
    void the_dependency_graph_has_every_edge_of_the_pipeline() {
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(RunningPipeline.zipkin().dependencies().keySet()).containsAll(ExpectedTrace.DEPENDENCY_EDGES));
    }

    @Test
    @Order(6)
    void the_trace_id_in_a_response_is_found_in_the_backend() throws Exception {
        HttpResponse<String> response = RunningPipeline.sampled("/api/leaderboard");
        assertThat(RunningPipeline.completeTrace(response, "/api/leaderboard")).isNotEmpty()
                .allSatisfy(s -> assertThat(s.traceId()).isEqualTo(RunningPipeline.traceId(response)));
    }
}
