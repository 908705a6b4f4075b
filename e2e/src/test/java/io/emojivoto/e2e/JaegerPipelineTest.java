package io.emojivoto.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.emojivoto.launcher.ExpectedTrace;
import io.emojivoto.launcher.Pipeline;
import io.emojivoto.launcher.TraceCheck;
import io.emojivoto.localrun.JaegerApi;
import io.emojivoto.localrun.ManagedProcess;
import io.emojivoto.localrun.StoredSpan;
import io.emojivoto.testkit.Browser;
import io.emojivoto.testkit.Traces;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Kubernetes trace path on loopback (`./emojivoto up --backend jaeger`): every part reports to a
 * collector running tracing.yml's collector configuration, which exports OTLP to Jaeger v2 (built
 * with Go from the pinned module), and `check` reads the traces back through Jaeger's query API.
 * Killing the collector under traffic is lab 7's, done in Jaeger by WorkshopLabsInJaegerTest on this
 * same pipeline.
 */
@ExtendWith(RunningJaegerPipeline.class)
@Order(110)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JaegerPipelineTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static Pipeline pipeline;
    private static Path runDir;

    @BeforeAll
    static void shared() {
        pipeline = RunningJaegerPipeline.shared().pipeline();
        runDir = pipeline.options().runDir();
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(1)
    void a_thousand_requests_through_the_collector_give_complete_traces_in_jaeger() throws Exception {
        TraceCheck.Report report = new TraceCheck(pipeline.ingressUrl(), pipeline.ingressStatusUrl() + "/status",
                pipeline.traceBackend(), Duration.ofSeconds(90)).run(1000, quiet());
        report.print(System.out, false);
        assertThat(report.ok()).as(report.verdict()).isTrue();
        assertThat(report.complete()).isEqualTo(report.sampled()).isGreaterThan(400);
        assertThat(((JaegerApi) pipeline.traceBackend()).services()).containsAll(ExpectedTrace.SERVICES);
    }

    @Test
    @Order(2)
    void the_collector_ran_the_configuration_of_tracing_yml_with_only_its_addresses_changed() throws Exception {
        for (String file : new String[] {"collector.yaml", "jaeger.yaml", "prometheus.yml"}) {
            String ran = Files.readString(runDir.resolve("jaeger").resolve(file));
            assertThat(TracingYml.withoutAddresses(ran)).as(file).isEqualTo(TracingYml.withoutAddresses(TracingYml.configMapText(file)));
            assertThat(ran).as("locally, everything listens on loopback").doesNotContain("0.0.0.0").contains("127.0.0.1");
        }
        // Prometheus runs its Deployment's flags, its paths and listener aside.
        List<String> ran = ProcessHandle.of(pipeline.part("prometheus").process().pid()).orElseThrow().info().arguments()
                .map(List::of).orElseThrow();
        assertThat(ran).contains("--storage.tsdb.retention.time=1h", "--web.listen-address=127.0.0.1:" + pipeline.ports().port("prometheus"));
        assertThat(ran.stream().map(a -> a.replaceAll("=.*", "")).toList())
                .containsExactly("--config.file", "--storage.tsdb.path", "--storage.tsdb.retention.time", "--web.listen-address");
    }

    @Test
    @Order(2)
    void jaeger_serves_the_real_ui_it_was_given_and_ci_always_gives_it_one() throws Exception {
        String given = System.getenv("JAEGER_UI_ASSETS");
        if (given == null || given.isBlank()) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI runs the real Jaeger UI and none was given: set JAEGER_UI_ASSETS to a built"
                        + " jaeger-ui (.ci/run exports ../shared/jaeger-ui), or JAEGER_BIN to a Jaeger release binary");
            }
            // Here the launcher fetched the UI, found a copy fetched before, or fell back to the placeholder:
            // whichever it was, status says so.
            assertThat(pipeline.traceUiServes()).containsAnyOf("fetched", "placeholder");
            return;
        }
        assertThat(pipeline.traceUiServes()).isEqualTo("JAEGER_UI_ASSETS " + Path.of(given).toAbsolutePath().normalize());
        for (String page : new String[] {"", "search", "trace/463ac35c9f6413ad48485a3953bb6124", "dependencies"}) {
            assertThat(get(pipeline.traceUiUrl() + page).body()).as("/" + page).contains("<title>Jaeger UI</title>")
                    .doesNotContain("This is not the Jaeger UI");
        }
    }

    /** Whether Jaeger serves the real UI in this run (CI always gives it one: the test above fails otherwise). */
    private static boolean realUi() {
        String given = System.getenv("JAEGER_UI_ASSETS");
        return given != null && !given.isBlank();
    }

    @Test
    @Order(4)
    void the_monitor_tab_shows_voting_svcs_error_rate_rise_within_30_s_of_its_failure_rate_going_from_0_to_1() throws Exception {
        String switches = pipeline.part("voting-svc").faultsUrl();
        String failureRate = switches + "/failure-rate";
        try {
            assertThat(post(failureRate, "{\"value\":\"0\"}").statusCode()).isEqualTo(200);
            Awaitility.await("voting-svc's error rate at 0 while doughnut votes succeed").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(2)).until(() -> {
                        for (int i = 0; i < 4; i++) {
                            assertThat(get(pipeline.ingressUrl() + "/api/vote?choice=:doughnut:").statusCode()).isEqualTo(200);
                        }
                        return latestErrorRate("voting-svc") == 0.0;
                    });
            assertThat(post(failureRate, "{\"value\":\"1\"}").statusCode()).isEqualTo(200);
            long switched = System.nanoTime();
            Awaitility.await("voting-svc's error rate above 0 within 30 s of the switch").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> {
                        for (int i = 0; i < 4; i++) {
                            assertThat(get(pipeline.ingressUrl() + "/api/vote?choice=:doughnut:").statusCode()).isEqualTo(500);
                        }
                        return latestErrorRate("voting-svc") > 0;
                    });
            System.out.printf("the Monitor tab's error rate rose %.1f s after the switch%n", (System.nanoTime() - switched) / 1e9);
            if (realUi()) {
                monitorTabShowsTheDoughnutsErrors();
            }
        } finally {
            HTTP.send(HttpRequest.newBuilder(URI.create(switches)).DELETE().build(), HttpResponse.BodyHandlers.discarding()); // back to its start
        }
    }

    /**
     * The error rate of a service's server spans at the latest point Jaeger's metrics API gives (what the
     * Monitor tab draws): errors per second over calls per second across the last 15 s; NaN without calls.
     */
    private static double latestErrorRate(String service) throws Exception {
        String body = get(pipeline.traceUiUrl() + "api/metrics/errors?service=" + service + "&spanKind=server&endTs="
                + System.currentTimeMillis() + "&lookback=30000&step=5000&ratePer=15000").body();
        tools.jackson.databind.JsonNode points = tools.jackson.databind.json.JsonMapper.builder().build().readTree(body)
                .path("metrics").path(0).path("metricPoints");
        if (points.isEmpty()) {
            return Double.NaN;
        }
        tools.jackson.databind.JsonNode value = points.get(points.size() - 1).path("gaugeValue").path("doubleValue");
        return value.isNumber() ? value.asDouble() : Double.NaN;
    }

    /** The Monitor tab, voting-svc chosen: its doughnut operation with an error rate above 0 (the screenshot docs/jaeger.md shows). */
    private static void monitorTabShowsTheDoughnutsErrors() {
        ChromeDriver browser = Browser.start(1400, 1000);
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(40));
            browser.get(pipeline.traceUiUrl() + "monitor");
            choose(browser, wait, "select-a-service-input", "voting-svc");
            choose(browser, wait, "select-a-timeframe-input", "Last 5 minutes");
            By doughnut = By.xpath("//tr[contains(@class,'ant-table-row')][.//*[contains(text(),'VotingService/VoteDoughnut')]]");
            wait.until(d -> d.findElements(doughnut).stream().anyMatch(row -> row.getText().matches("(?s).*\\n\\d+(\\.\\d+)?%")));
            String errorRate = browser.findElement(doughnut).getText().replaceAll("(?s).*\\n", "");
            assertThat(Double.parseDouble(errorRate.replace("%", ""))).as("the doughnut's error rate, " + errorRate).isGreaterThan(0);
            Browser.screenshotToDocs(browser, "jaeger-monitor");
        } finally {
            browser.quit();
        }
    }

    /** Picks an option of one of the Monitor tab's drop-downs (antd selects: type, then Enter). */
    private static void choose(ChromeDriver browser, WebDriverWait wait, String selectClass, String option) {
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("." + selectClass))).click();
        WebElement input = browser.findElement(By.cssSelector("." + selectClass + " input"));
        input.sendKeys(option);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".ant-select-item-option[title='" + option + "']")));
        input.sendKeys(org.openqa.selenium.Keys.ENTER);
        wait.until(d -> d.findElement(By.cssSelector("." + selectClass)).getText().equals(option));
    }

    private static HttpResponse<String> post(String url, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(5)
    void in_jaegers_ui_a_votes_link_opens_its_trace_and_the_search_finds_it_by_service_and_tag() throws Exception {
        if (!realUi()) {
            return; // Jaeger's placeholder page has nothing to look at
        }
        ChromeDriver browser = Browser.start(1400, 1000);
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(40));
            String traceLink = VotePage.voteUntilTraced(browser, pipeline.ingressUrl(), ":rocket:");
            assertThat(traceLink).as("a sampled vote within 30 tries").isNotNull().startsWith(pipeline.traceUiUrl() + "trace/");
            String traceId = traceLink.substring(traceLink.lastIndexOf('/') + 1);
            Traces.await(pipeline.traceBackend(), traceId, spans -> ExpectedTrace.problems(spans, "/api/vote", 200).isEmpty(),
                    Duration.ofSeconds(30));

            // The trace page: one row per span, and the header's counts.
            browser.get(traceLink);
            wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".span-row"), 11));
            assertThat(browser.findElements(By.cssSelector(".span-svc-name")).stream().map(e -> e.getText().trim()).distinct())
                    .containsExactlyInAnyOrderElementsOf(ExpectedTrace.SERVICES);
            assertThat(headerValue(browser, "Services")).isEqualTo("7");
            assertThat(headerValue(browser, "Total Spans")).isEqualTo("11");
            assertThat(browser.findElements(By.cssSelector(".SpanBar--criticalPath"))).as("the critical path the walkthrough points at")
                    .isNotEmpty();
            // voting-svc's span opened: its tags, the emoji among them.
            browser.findElements(By.cssSelector(".span-name")).stream()
                    .filter(e -> e.getText().trim().startsWith("voting-svc ") || e.getText().trim().equals("voting-svc"))
                    .filter(e -> !e.getText().contains("proxy")).findFirst().orElseThrow().click();
            wait.until(d -> d.findElement(By.tagName("body")).getText().contains("emojivoto.emoji"));
            assertThat(browser.findElement(By.tagName("body")).getText()).as("its logs: the event, as docs/jaeger.md says")
                    .contains("vote counted");
            Browser.screenshotToDocs(browser, "jaeger-trace");

            // The search: by service, and by the tag voting-svc puts on a vote.
            String tags = java.net.URLEncoder.encode("{\"emojivoto.emoji\":\":rocket:\"}", java.nio.charset.StandardCharsets.UTF_8);
            browser.get(pipeline.traceUiUrl() + "search?service=voting-svc&tags=" + tags + "&lookback=1h&limit=20");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".ResultItemTitle a[href='/trace/" + traceId + "']")));
            Browser.screenshotToDocs(browser, "jaeger-search");
        } finally {
            browser.quit();
        }
    }

    private static String headerValue(ChromeDriver browser, String label) {
        return browser.findElements(By.cssSelector(".LabeledList--item")).stream()
                .filter(item -> !item.findElements(By.cssSelector(".LabeledList--label")).isEmpty()
                        && item.findElement(By.cssSelector(".LabeledList--label")).getText().trim().equals(label))
                .map(item -> item.findElement(By.tagName("strong")).getText().trim()).findFirst().orElse(null);
    }

    @Test
    @Order(6)
    void failed_votes_are_found_by_their_grpc_status_not_by_error_true() throws Exception {
        // Jaeger 2.12's in-memory store reads the tag search error=true as a boolean while the UI sends a
        // string, so it finds nothing (fixed after 2.12, jaegertracing/jaeger#8217); the status code finds them.
        HttpResponse<String> failed = null;
        for (int i = 0; i < 60 && (failed == null || !failed.headers().firstValue("X-B3-Sampled").orElse("").equals("1")); i++) {
            failed = get(pipeline.ingressUrl() + "/api/vote?choice=:doughnut:");
        }
        assertThat(failed.statusCode()).isEqualTo(500);
        String traceId = failed.headers().firstValue("X-B3-TraceId").orElseThrow();
        List<StoredSpan> spans = Traces.await(pipeline.traceBackend(), traceId,
                s -> ExpectedTrace.problems(s, "/api/vote", 500).isEmpty(), Duration.ofSeconds(30));
        long failedSpans = spans.stream().filter(s -> s.tags().containsKey("error")).count();
        assertThat(failedSpans).as("voting-svc's span and the six above it").isEqualTo(7);
        if (realUi()) { // each of them with Jaeger's error icon in its row, as the walkthrough says
            ChromeDriver browser = Browser.start(1400, 1000);
            try {
                browser.get(pipeline.traceUiUrl() + "trace/" + traceId);
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(40));
                wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".span-row"), 11));
                assertThat(browser.findElements(By.cssSelector(".span-row .SpanBarRow--errorIcon"))).hasSize((int) failedSpans);
            } finally {
                browser.quit();
            }
        }
        String byStatus = java.net.URLEncoder.encode("{\"rpc.grpc.status_code\":\"2\"}", java.nio.charset.StandardCharsets.UTF_8);
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                get(pipeline.traceUiUrl() + "api/traces?service=voting-svc&lookback=1h&limit=100&tags=" + byStatus).body())
                .contains(traceId));
        String errorTrue = java.net.URLEncoder.encode("{\"error\":\"true\"}", java.nio.charset.StandardCharsets.UTF_8);
        assertThat(get(pipeline.traceUiUrl() + "api/traces?service=voting-svc&lookback=1h&limit=100&tags=" + errorTrue).body())
                .as("what docs/jaeger.md says of error=true in this Jaeger").doesNotContain(traceId);
    }

    @Test
    @Order(6)
    void jaegers_system_architecture_links_every_span_to_its_parents_service_client_spans_included() throws Exception {
        // Jaeger derives its graph from each span's parent, so a CLIENT span under its own service's SERVER
        // span gives web-svc -> web-svc, and the proxies give web-svc-proxy <-> web-svc both ways: edges
        // Zipkin's graph, which joins only across services, does not draw.
        java.util.Set<String> expected = java.util.Set.of("ingress -> web-svc-proxy", "web-svc-proxy -> web-svc", "web-svc -> web-svc",
                "web-svc -> web-svc-proxy", "web-svc-proxy -> emoji-svc-proxy", "emoji-svc-proxy -> emoji-svc",
                "web-svc-proxy -> voting-svc-proxy", "voting-svc-proxy -> voting-svc");
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String body = get(pipeline.traceUiUrl() + "api/dependencies?endTs=" + System.currentTimeMillis() + "&lookback=3600000").body();
            java.util.Set<String> edges = new java.util.TreeSet<>();
            Matcher edge = Pattern.compile("\"parent\":\"([^\"]+)\",\"child\":\"([^\"]+)\"").matcher(body);
            while (edge.find()) {
                edges.add(edge.group(1) + " -> " + edge.group(2));
            }
            assertThat(edges).isEqualTo(new java.util.TreeSet<>(expected));
        });
        if (realUi()) { // the graph a learner sees, every service a node (the screenshot docs/jaeger.md shows)
            ChromeDriver browser = Browser.start(1400, 1000);
            try {
                browser.get(pipeline.traceUiUrl() + "dependencies");
                new WebDriverWait(browser, Duration.ofSeconds(40)).until(d -> List.of(d.findElement(By.tagName("body")).getText()
                        .split("\n")).containsAll(ExpectedTrace.SERVICES));
                Browser.screenshotToDocs(browser, "jaeger-architecture");
            } finally {
                browser.quit();
            }
        }
    }

    @Test
    @Order(3)
    void a_votes_trace_link_opens_in_jaeger_and_its_trace_has_every_service() throws Exception {
        String template = get(pipeline.ingressUrl() + "/api/config").body();
        assertThat(template).contains(pipeline.traceUiUrl() + "trace/{traceId}");
        HttpResponse<String> vote = null;
        for (int i = 0; i < 60 && (vote == null || !vote.headers().firstValue("X-B3-Sampled").orElse("").equals("1")); i++) {
            vote = get(pipeline.ingressUrl() + "/api/vote?choice=:rocket:");
        }
        String traceId = vote.headers().firstValue("X-B3-TraceId").orElseThrow();
        List<StoredSpan> spans = Traces.await(pipeline.traceBackend(), traceId,
                s -> ExpectedTrace.problems(s, "/api/vote", 200).isEmpty(), Duration.ofSeconds(30));
        assertThat(spans).hasSize(11);
        assertThat(spans.stream().map(StoredSpan::serviceName).distinct()).containsExactlyInAnyOrderElementsOf(ExpectedTrace.SERVICES);
        assertThat(get(pipeline.traceUiUrl() + "trace/" + traceId).statusCode()).as("the page the link opens").isEqualTo(200);
    }

    @Test
    @Order(8)
    void killing_prometheus_leaves_the_traces_whole_and_the_supervisor_brings_it_back() throws Exception {
        Pipeline.Part prometheus = pipeline.part("prometheus");
        int before = prometheus.restarts();
        ProcessHandle.of(prometheus.process().pid()).orElseThrow().destroyForcibly();
        // Meanwhile the Monitor tab has nothing to show: Jaeger answers its metrics API with an error, never hangs.
        HttpResponse<String> metrics = get(pipeline.traceUiUrl() + "api/metrics/calls?service=voting-svc&spanKind=server&endTs="
                + System.currentTimeMillis() + "&lookback=60000&step=5000&ratePer=15000");
        assertThat(metrics.statusCode()).isIn(200, 500);
        TraceCheck.Report traces = new TraceCheck(pipeline.ingressUrl(), pipeline.ingressStatusUrl() + "/status",
                pipeline.traceBackend(), Duration.ofSeconds(30)).run(20, quiet());
        assertThat(traces.ok()).as(traces.verdict()).isTrue();
        Awaitility.await("Prometheus back").atMost(Duration.ofSeconds(30)).until(() -> prometheus.restarts() == before + 1
                && prometheus.process() != null && ManagedProcess.isHttpOk(prometheus.healthUrl()));
        Awaitility.await("the Monitor tab's data again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            get(pipeline.ingressUrl() + "/api/vote?choice=:doughnut:");
            return !Double.isNaN(latestErrorRate("voting-svc"));
        });
    }

    private static PrintStream quiet() {
        return new PrintStream(OutputStream.nullOutputStream());
    }
}
