package io.emojivoto.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `./emojivoto logs`: the lines of one trace, from every part's log, in the order they were written. */
class TraceLogsTest {

    private static final String TRACE = "9882f46d7578858d44bbbe8c41e5602e";

    @TempDir
    Path run;

    @Test
    void every_parts_lines_of_the_trace_merged_by_their_time_and_nothing_else() throws Exception {
        Files.createDirectories(run.resolve("logs"));
        Files.createDirectories(run.resolve("nginx/logs"));
        Files.writeString(run.resolve("logs/voting-svc.log"), String.join("\n",
                "2026-12-06T07:38:39.900Z  INFO 1 --- [voting-svc] [main] [                                 ] started",
                "2026-12-06T07:38:39.990Z  WARN 1 --- [voting-svc] [exec-4] [" + TRACE + "-f72e5ad7f1da780e] Vote for :doughnut: failed",
                "\tat a.stack.Frame(" + TRACE + ")",
                "2026-12-06T07:38:40.554Z  WARN 1 --- [voting-svc] [exec-2] [0a93c734e0bb6645696bc7b876814b18-08d5532efb7b86dc] another"));
        Files.writeString(run.resolve("logs/web-svc.log"),
                "2026-12-06T07:38:40.098Z  WARN 2 --- [web-svc] [exec-3] [" + TRACE + "-ddccb9d5314ac4ea] gRPC call failed: UNKNOWN\n");
        Files.writeString(run.resolve("logs/launcher.log"), "07:38:40 about " + TRACE + "\n");
        Files.writeString(run.resolve("nginx/logs/access.log"), "127.0.0.1 - [06/Dec/2026:07:38:40 +0000] \"GET /api/vote?choice="
                + "%3Adoughnut%3A HTTP/1.1\" 500 52 rt=0.112 urt=0.111 ua=\"127.0.0.1:8081\" trace=" + TRACE + " sampled=1 t=1796542720.101\n");

        List<TraceLogs.Line> lines = TraceLogs.of(TRACE, TraceLogs.files(run));
        assertThat(lines).extracting(TraceLogs.Line::part).containsExactly("voting-svc", "voting-svc", "web-svc", "ingress");
        assertThat(lines.get(1).text()).as("a line without a time of its own follows its file's previous one").startsWith("\tat ");
        assertThat(TraceLogs.format(lines.get(0))).startsWith("07:38:39.990  voting-svc        2026-12-06T07:38:39.990Z  WARN");
        assertThat(TraceLogs.format(lines.get(3))).startsWith("07:38:40.101  ingress           127.0.0.1");
    }

    @Test
    void a_run_without_logs_has_no_files_and_no_lines() {
        assertThat(TraceLogs.files(run)).isEmpty();
        assertThat(TraceLogs.of(TRACE, List.of(run.resolve("missing.log")))).isEmpty();
    }
}
