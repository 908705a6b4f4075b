package io.emojivoto.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.emojivoto.localrun.StoredSpan;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The waterfall `./emojivoto trace` prints: the tree, the time scale, the marks. */
class TerminalTraceTest {

    private static final String TRACE = "463ac35c9f6413ad48485a3953bb6124";

    private static StoredSpan span(String id, String parent, String service, String kind, String name, long start, long duration,
                                   Map<String, String> tags, List<String> events) {
        return new StoredSpan(TRACE, id, parent, kind, name, service, 1_000_000 + start, duration, tags, events);
    }

    private static String print(List<StoredSpan> spans) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TerminalTrace.print(spans, "Zipkin", new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void each_span_is_a_line_under_its_parent_in_the_order_they_started_with_its_offset_duration_and_marks() {
        String text = print(List.of(
                span("c", "b", "voting-svc", "SERVER", "emojivoto.v1.VotingService/VoteDoughnut", 6_000, 3_000,
                        Map.of("error", "UNKNOWN", "emojivoto.emoji", ":doughnut:", "emojivoto.fault", "failure-rate"), List.of("received")),
                span("a", null, "ingress", "SERVER", "GET /api/vote", 0, 10_000, Map.of("http.response.status_code", "500"), List.of()),
                span("b", "a", "web-svc", "SERVER", "GET /api/vote", 1_000, 8_000, Map.of(), List.of()),
                span("d", "b", "emoji-svc", "SERVER", "emojivoto.v1.EmojiService/FindByShortcode", 2_000, 1_000, Map.of(),
                        List.of("vote counted"))));
        List<String> lines = text.lines().toList();
        assertThat(lines.get(0)).isEqualTo("trace " + TRACE + " in Zipkin: 4 spans from 4 services, 10.00 ms");
        assertThat(lines.get(3)).startsWith("ingress SERVER GET /api/vote").contains("0.00 ms").contains("10.00 ms")
                .contains("█".repeat(TerminalTrace.BAR_WIDTH)).endsWith("http.response.status_code=500");
        assertThat(lines.get(4)).startsWith("└ web-svc SERVER GET /api/vote").contains("1.00 ms").contains("8.00 ms");
        assertThat(lines.get(5)).as("the earlier child first").startsWith("  ├ emoji-svc SERVER").endsWith("«vote counted»");
        assertThat(lines.get(6)).startsWith("  └ voting-svc SERVER").contains("6.00 ms").contains("3.00 ms")
                .contains("✗ error=UNKNOWN").contains("emojivoto.emoji=:doughnut:").contains("emojivoto.fault=failure-rate")
                .doesNotContain("received");
        assertThat(lines).hasSize(7);
    }

    @Test
    void a_span_whose_parent_is_missing_is_printed_as_a_root_of_its_own() {
        String text = print(List.of(span("a", null, "ingress", "SERVER", "GET /api/vote", 0, 10_000, Map.of(), List.of()),
                span("c", "gone", "voting-svc", "SERVER", "Vote", 5_000, 1_000, Map.of(), List.of())));
        assertThat(text.lines().filter(l -> l.startsWith("voting-svc SERVER Vote"))).hasSize(1);
    }

    @Test
    void the_bar_places_a_span_on_the_traces_time_scale_and_never_draws_less_than_one_block() {
        assertThat(TerminalTrace.bar(0, 100, 100)).isEqualTo("█".repeat(30));
        assertThat(TerminalTrace.bar(50, 50, 100)).isEqualTo(" ".repeat(15) + "█".repeat(15));
        assertThat(TerminalTrace.bar(99, 0, 100)).isEqualTo(" ".repeat(29) + "█");
        assertThat(TerminalTrace.bar(0, 1, 1000)).isEqualTo("█" + " ".repeat(29));
    }
}
