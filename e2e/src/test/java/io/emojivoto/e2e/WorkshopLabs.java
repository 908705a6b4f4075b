package io.emojivoto.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.emojivoto.launcher.BackendChoice;
import io.emojivoto.launcher.ExpectedTrace;
import io.emojivoto.localrun.StoredSpan;
import io.emojivoto.testkit.Browser;
import io.emojivoto.testkit.Traces;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Every lab of the workshop (docs/workshop/), done as its page tells a learner to do it, against the
 * real pipeline, with the commands a learner types; each test asserts, from the trace backend's API,
 * what its page says the learner will see. A lab whose page changes must change its test: each names
 * the other. The labs run once per backend ({@link WorkshopLabsTest} with Zipkin, which takes the
 * pages' screenshots, and {@link WorkshopLabsInJaegerTest}), since each page says what its observation
 * looks like in both UIs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class WorkshopLabs {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Path SCREENSHOTS = Path.of("docs", "workshop", "screenshots");
    static ChromeDriver browser;

    /** The running pipeline the labs are done on. */
    abstract SharedPipeline lab();

    @BeforeAll
    static void openBrowser() {
        browser = Browser.start(1400, 900);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    /**
     * Each lab starts where a teacher's plain `./emojivoto up` starts: no switch on. This module's pipeline
     * starts voting-svc with a delay of its own (SharedPipeline.ARTIFICIAL_DELAY, for other tests), so the
     * labs turn it off first; otherwise it would show as a second slow hop, tagged fault=delay.
     */
    @BeforeEach
    void asAfterAPlainUp() throws Exception {
        lab().cli("fault", "set", "voting-svc", "delay", "0ms");
    }

    @AfterEach
    void everySwitchBack() throws Exception {
        lab().cli("fault", "clear");
    }

    static StoredSpan one(List<StoredSpan> spans, String service, String kind) {
        List<StoredSpan> found = spans.stream().filter(s -> s.serviceName().equals(service) && kind.equals(s.kind())).toList();
        assertThat(found).as(service + " " + kind).hasSize(1);
        return found.get(0);
    }

    private static Map<String, StoredSpan> byId(List<StoredSpan> spans) {
        return spans.stream().collect(Collectors.toMap(StoredSpan::id, Function.identity()));
    }

    /** The trace's page in Zipkin's UI, as the learner opens it, saved for the lab's page (the pages show Zipkin's). */
    private void screenshot(String traceId, String name, String... mustShow) {
        screenshot(traceId, name, null, false, List.of(), mustShow);
    }

    /**
     * The same, with the span the page's text points at selected ({@code span}: its row's label, "voting-svc:
     * emojivoto.v1.votingservice/votejoy"), and its details showing {@code detailShows}; with {@code tagsOnly}
     * its annotations folded, so that its tags are in view.
     */
    private void screenshot(String traceId, String name, String span, boolean tagsOnly, List<String> detailShows,
            String... mustShow) {
        if (lab().backendChoice() != BackendChoice.ZIPKIN) {
            return;
        }
        ZipkinTracePage.open(browser, lab().pipeline().traceUiUrl() + "traces/" + traceId, span, tagsOnly, detailShows, mustShow);
        Browser.screenshotTo(browser, SCREENSHOTS.resolve(name + ".png"));
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 900));
    }

    /** docs/workshop/lab-1-a-vote-hop-by-hop.md */
    @Test
    @Order(1)
    void lab_1_a_votes_trace_hop_by_hop() throws Exception {
        HttpResponse<String> vote = lab().sampled("/api/vote?choice=:joy:");
        List<StoredSpan> spans = lab().completeTrace(vote, "/api/vote");
        // "Eleven spans, each the child of the one before it" (the tree on the page)
        assertThat(spans).hasSize(11);
        Map<String, StoredSpan> byId = byId(spans);
        StoredSpan ingress = one(spans, "ingress", "SERVER");
        assertThat(ingress.isRoot()).isTrue();
        StoredSpan proxyIn = one(spans, "web-svc-proxy", "SERVER");
        StoredSpan web = one(spans, "web-svc", "SERVER");
        assertThat(proxyIn.parentId()).isEqualTo(ingress.id());
        assertThat(web.parentId()).as("the proxy's span is web-svc's parent").isEqualTo(proxyIn.id());
        StoredSpan voting = one(spans, "voting-svc", "SERVER");
        assertThat(byId.get(voting.parentId()).serviceName()).isEqualTo("voting-svc-proxy");
        assertThat(voting.tags()).containsEntry("emojivoto.emoji", ":joy:");
        assertThat(voting.annotations()).contains("vote counted");
        assertThat(ingress.duration()).as("the root lasts as long as the whole request").isGreaterThanOrEqualTo(web.duration());
        // The screenshot with voting-svc's span selected: its tag emojivoto.emoji and its event "vote counted".
        screenshot(SharedPipeline.traceId(vote), "lab-1-vote-trace", "voting-svc: emojivoto.v1.votingservice/votejoy", false,
                List.of("vote counted"), "ingress", "voting-svc", "emoji-svc-proxy");

        // "The same trace in the terminal: ./emojivoto trace <X-B3-TraceId>", a line per span under its parent.
        String terminal = lab().cli("trace", SharedPipeline.traceId(vote));
        List<String> lines = terminal.lines().toList();
        assertThat(lines.get(0)).startsWith("trace " + SharedPipeline.traceId(vote) + " in " + lab().backend().name() + ": 11 spans from 7 services");
        assertThat(lines).anyMatch(l -> l.startsWith("ingress SERVER "))
                .anyMatch(l -> l.startsWith("└ web-svc-proxy SERVER "))
                .anyMatch(l -> l.startsWith("  └ web-svc SERVER "))
                .anyMatch(l -> l.matches(" +└ voting-svc SERVER .*emojivoto\\.emoji=:joy: .*«vote counted»"));
        assertThat(terminal).contains("check: complete, every hop of the expected tree is there").doesNotContain("✗");
        if (lab().backendChoice() == BackendChoice.ZIPKIN) {
            java.nio.file.Files.writeString(io.emojivoto.localrun.ProjectPaths.root().resolve(SCREENSHOTS).resolve("lab-1-trace-in-the-terminal.txt"), "$ ./emojivoto trace "
                    + SharedPipeline.traceId(vote) + "\n" + terminal);
        }
        assertThat(lab().cli("trace", "--last").toLowerCase(java.util.Locale.ROOT)).as("the newest sampled vote")
                .contains("ingress server get /api/vote").contains("voting-svc server");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> lab().cli("trace", "0123456789abcdef0123456789abcdef"))
                .isInstanceOf(io.emojivoto.launcher.LauncherException.class).hasMessage("no such trace in " + lab().backend().name()
                        + ": 0123456789abcdef0123456789abcdef");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> lab().cli("trace", "not-a-trace"))
                .isInstanceOf(io.emojivoto.launcher.UsageException.class).hasMessageContaining("is not a trace id");
    }

    /** docs/workshop/lab-2-the-slow-hop.md */
    @Test
    @Order(2)
    void lab_2_the_slow_hop_is_the_one_whose_own_span_is_long() throws Exception {
        assertThat(lab().cli("fault", "set-one-of", "emoji-svc,voting-svc", "delay", "300ms", "--blind"))
                .contains("delay = (hidden) on one of emoji-svc, voting-svc");
        HttpResponse<String> vote = lab().sampled("/api/vote?choice=:rocket:");
        List<StoredSpan> spans = lab().completeTrace(vote, "/api/vote");
        StoredSpan emoji = one(spans, "emoji-svc", "SERVER");
        StoredSpan voting = one(spans, "voting-svc", "SERVER");
        StoredSpan slow = emoji.duration() > voting.duration() ? emoji : voting;
        StoredSpan fast = slow == emoji ? voting : emoji;
        // "One of emoji-svc and voting-svc has a server span of 300 ms or more; the other's is short, well under 100 ms."
        assertThat(slow.duration()).as("the delayed service's own span").isGreaterThanOrEqualTo(300_000);
        assertThat(fast.duration()).isLessThan(100_000);
        // "No tag says why: the fault was set blind."
        assertThat(spans).allSatisfy(s -> assertThat(s.tags()).doesNotContainKey("emojivoto.fault"));
        // "Every span above the slow one (its proxy, web-svc's client span, web-svc, the ingress) lasts 300 ms or more too."
        Map<String, StoredSpan> byId = byId(spans);
        List<String> above = new java.util.ArrayList<>();
        for (StoredSpan s = byId.get(slow.parentId()); s != null; s = s.parentId() == null ? null : byId.get(s.parentId())) {
            assertThat(s.duration()).as(s + " waits for it").isGreaterThanOrEqualTo(300_000);
            above.add(s.serviceName() + " " + s.kind());
        }
        assertThat(above).containsExactly(slow.serviceName() + "-proxy SERVER", "web-svc-proxy CLIENT", "web-svc CLIENT",
                "web-svc SERVER", "web-svc-proxy SERVER", "ingress SERVER");
        // "`./emojivoto status` and `./emojivoto fault list` say a `delay` is hidden, and not on which part;
        // `fault list --reveal` names it."
        assertThat(lab().cli("status")).contains("switch on:  delay, hidden").doesNotContain("emoji-svc delay")
                .doesNotContain("voting-svc delay");
        String list = lab().cli("fault", "list");
        assertThat(list).containsPattern("emoji-svc +delay +hidden").containsPattern("voting-svc +delay +hidden")
                .doesNotContainPattern("delay +300ms");
        assertThat(lab().cli("fault", "list", "--reveal")).containsPattern(slow.serviceName() + " +delay +300ms \\(set blind\\)")
                .containsPattern(fast.serviceName() + " +delay +0ms ");
        screenshot(SharedPipeline.traceId(vote), "lab-2-slow-hop", slow.serviceName() + ": " + slow.name(), false,
                List.of("Server Start"), slow.serviceName());
    }

    /** docs/workshop/lab-3-an-error-climbs-the-tree.md */
    @Test
    @Order(3)
    void lab_3_an_error_climbs_the_tree_from_the_service_where_it_starts() throws Exception {
        lab().cli("fault", "set", "voting-svc", "failure-rate", "1", "--blind");
        HttpResponse<String> doughnut = lab().sampled("/api/vote?choice=:doughnut:");
        assertThat(doughnut.statusCode()).isEqualTo(500);
        List<StoredSpan> spans = lab().completeTrace(doughnut, "/api/vote");
        Map<String, StoredSpan> byId = byId(spans);
        // "`voting-svc` SERVER has `error` (`UNKNOWN`, the gRPC status) and `rpc.grpc.status_code=2`"
        assertThat(one(spans, "voting-svc", "SERVER").tags()).containsEntry("error", "UNKNOWN")
                .containsEntry("rpc.grpc.status_code", "2");
        // "so do, one after another, the voting-svc-proxy SERVER, web-svc-proxy CLIENT, web-svc CLIENT, web-svc
        // SERVER, web-svc-proxy SERVER and ingress SERVER spans"
        List<String> chain = new java.util.ArrayList<>();
        for (StoredSpan s = one(spans, "voting-svc", "SERVER"); s != null; s = s.parentId() == null ? null : byId.get(s.parentId())) {
            assertThat(s.tags()).as(s + " carries the error").containsKey("error");
            chain.add(s.serviceName() + " " + s.kind());
        }
        assertThat(chain).containsExactly("voting-svc SERVER", "voting-svc-proxy SERVER", "web-svc-proxy CLIENT",
                "web-svc CLIENT", "web-svc SERVER", "web-svc-proxy SERVER", "ingress SERVER");
        // "emoji-svc's spans have no error."
        assertThat(spans).filteredOn(s -> s.serviceName().startsWith("emoji-svc")).isNotEmpty()
                .allSatisfy(s -> assertThat(s.tags()).doesNotContainKey("error"));
        // "No span says why voting-svc failed: the status's text is the original emojivoto's bare `ERROR`."
        assertThat(spans).allSatisfy(s -> assertThat(s.tags()).doesNotContainKey("emojivoto.fault")
                .allSatisfy((k, v) -> assertThat(v).doesNotContain("on purpose")));
        assertThat(doughnut.body()).contains("desc = ERROR\"");
        screenshot(SharedPipeline.traceId(doughnut), "lab-3-doughnut-error", "voting-svc: emojivoto.v1.votingservice/votedoughnut",
                true, List.of("error UNKNOWN", "rpc.grpc.status_code 2"), "voting-svc");
        if (lab().backendChoice() == BackendChoice.ZIPKIN) {
            // "Both UIs mark each failed span with a red error icon in its row: Zipkin before the span's name (in the
            // screenshot above, the seven spans of the chain and no other)". Jaeger's icon: JaegerPipelineTest.
            assertThat(ZipkinTracePage.rowsMarkedFailed(browser)).hasSize(7)
                    .allSatisfy(label -> assertThat(label).doesNotStartWith("emoji-svc")
                            .satisfiesAnyOf(l -> assertThat(l).startsWith("voting-svc"), l -> assertThat(l).startsWith("web-svc"),
                                    l -> assertThat(l).startsWith("ingress")))
                    .anySatisfy(label -> assertThat(label).startsWith("voting-svc: "));
        }

        // "With emoji-svc failing, the error starts at `emoji-svc` SERVER, and there is no voting span at all."
        lab().cli("fault", "set", "emoji-svc", "failure-rate", "1", "--blind");
        HttpResponse<String> joy = lab().sampled("/api/vote?choice=:joy:");
        assertThat(joy.statusCode()).isEqualTo(500);
        List<StoredSpan> failed = lab().completeTrace(joy, "/api/vote");
        assertThat(one(failed, "emoji-svc", "SERVER").tags()).containsKey("error").doesNotContainKey("emojivoto.fault");
        assertThat(failed).noneMatch(s -> s.serviceName().startsWith("voting-svc"));
    }

    /** docs/workshop/lab-4-the-leaderboards-n-plus-1.md */
    @Test
    @Order(4)
    void lab_4_the_leaderboards_n_plus_1_and_its_fix() throws Exception {
        // "1. ./emojivoto reset: the leaderboard starts from nothing"
        assertThat(lab().cli("reset")).contains("no vote counted any more");
        asAfterAPlainUp(); // reset brought back this module's own start delay
        for (String emoji : List.of(":joy:", ":sunglasses:", ":nerd_face:", ":ghost:", ":flushed:", ":mask:", ":boy:", ":girl:")) {
            lab().get("/api/vote?choice=" + emoji);
        }
        // "2. … open the leaderboard. It names the leaderboard mode in force (`per-emoji`) and, when its request was
        // sampled, links to its own trace"
        String perEmojiTrace = leaderboardTraceInTheBrowser("per-emoji");
        List<StoredSpan> wide = Traces.await(lab().backend(), perEmojiTrace,
                s -> ExpectedTrace.problems(s, "/api/leaderboard", 200).isEmpty(), Duration.ofSeconds(30));
        long finds = wide.stream().filter(s -> s.serviceName().equals("web-svc") && "CLIENT".equals(s.kind())
                && s.name().toLowerCase().contains("findbyshortcode")).count();
        // "one `FindByShortcode` per emoji on the board … 4 × N + 8 spans for N emoji. Within a minute or two of the reset
        // that is one or two hundred" (this module's bot votes twice a second)
        assertThat(finds).as("one FindByShortcode per emoji on the board").isGreaterThanOrEqualTo(8);
        assertThat(wide).hasSize((int) (4 * finds + 8));
        assertThat(wide.size()).as("only the emoji voted for since the reset, not 404").isLessThan(250);
        StoredSpan join = wide.stream().filter(s -> s.name().equals("leaderboard join")).findFirst().orElseThrow();
        assertThat(join.tags()).containsEntry("emojivoto.leaderboard", "per-emoji");
        long perEmojiRoot = medianRootDuration("/api/leaderboard");
        screenshot(perEmojiTrace, "lab-4-leaderboard-per-emoji", "web-svc: leaderboard join", true,
                List.of("emojivoto.leaderboard per-emoji"), "leaderboard join");

        assertThat(lab().cli("fault", "set", "web-svc", "leaderboard", "batched")).contains("leaderboard = batched");
        // "4. Reload the leaderboard (it now says `batched`)" … "under 20 spans whatever the number of emoji, and a shorter request"
        String batchedTrace = leaderboardTraceInTheBrowser("batched");
        List<StoredSpan> narrow = Traces.await(lab().backend(), batchedTrace,
                s -> ExpectedTrace.problems(s, "/api/leaderboard", 200).isEmpty(), Duration.ofSeconds(30));
        assertThat(narrow).as("Results and ListAll, through both proxies, under the join: %d spans before", wide.size())
                .hasSizeLessThan(20);
        // "and a shorter request", compared as the page says, after a few reloads (the first batched one runs cold code)
        assertThat(medianRootDuration("/api/leaderboard")).as("the median batched leaderboard, in µs").isLessThan(perEmojiRoot);
        screenshot(batchedTrace, "lab-4-leaderboard-batched", "web-svc: leaderboard join", true,
                List.of("emojivoto.leaderboard batched"), "leaderboard join", "listall");
    }

    /** The median duration of the root span of five sampled requests for {@code path}, in µs. */
    private long medianRootDuration(String path) throws Exception {
        List<Long> durations = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            durations.add(one(lab().completeTrace(lab().sampled(path), path), "ingress", "SERVER").duration());
        }
        durations.sort(null);
        return durations.get(2);
    }

    /** Opens the leaderboard page until its request is sampled; asserts the mode it names; returns its trace's id. */
    private String leaderboardTraceInTheBrowser(String mode) {
        String href = VotePage.leaderboardUntilTraced(browser, lab().pipeline().ingressUrl(), mode);
        assertThat(href).as("30 leaderboards and none sampled").isNotNull();
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("[0-9a-f]{32}|[0-9a-f]{16}").matcher(href);
        assertThat(id.find()).as(href).isTrue();
        return id.group();
    }

    /** docs/workshop/lab-5-sampling.md */
    @Test
    @Order(5)
    void lab_5_sampling_is_decided_once_at_the_edge() throws Exception {
        lab().cli("fault", "set", "ingress", "sample-rate", "0.1");
        String report = lab().cli("check", "--requests", "500");
        assertThat(report).contains("SAMPLE_RATE 0.10 allows").contains("OK: every sampled request has a complete trace");
        int sampled = Integer.parseInt(report.replaceAll("(?s).*\\nsampled: +(\\d+) .*", "$1"));
        assertThat(sampled).isBetween(10, 110); // 4.5 sigma either side of 50
        // "... and most votes in the UI say 'This request was not sampled'" (at 0.1, nine in ten).
        boolean notSampledShown = false;
        for (int attempt = 0; attempt < 10 && !notSampledShown; attempt++) {
            browser.get(lab().pipeline().ingressUrl() + "/");
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            wait.until(d -> d.findElements(By.cssSelector("#emoji-grid .emoji-votable")).size() == 99);
            browser.findElement(By.cssSelector("[data-shortcode=':joy:']")).click();
            wait.until(d -> d.findElement(By.id("vote-result")).isDisplayed());
            notSampledShown = browser.findElement(By.id("vote-result")).getText().contains("This request was not sampled");
        }
        assertThat(notSampledShown).as("a vote at 0.1 shown as not sampled within 10 tries").isTrue();
        // "... and the page's footer says the rate in force" (the ingress tells it, on every response).
        assertThat(browser.findElement(By.id("sampling-note")).getText())
                .isEqualTo("Every request through the ingress has a 10% chance of being traced.");
        lab().cli("fault", "set", "ingress", "sample-rate", "1");
        assertThat(lab().cli("check", "--requests", "100")).contains("sampled:                  100 (100.0%");

        // Step 5, blind: "the footer says 'The sample rate is hidden for an exercise: find it from the traces.', and
        // `check` judges the sampled share without printing the rate."
        lab().cli("fault", "set", "ingress", "sample-rate", "0.3", "--blind");
        browser.get(lab().pipeline().ingressUrl() + "/");
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.findElement(By.id("sampling-note")).getText()
                .equals("The sample rate is hidden for an exercise: find it from the traces."));
        String blind = lab().cli("check", "--requests", "200");
        assertThat(blind).contains("the sample rate is hidden, and this share is plausible for it: yes").doesNotContain("0.30")
                .contains("OK: every sampled request has a complete trace");
        assertThat(lab().cli("fault", "list", "--reveal")).containsPattern("ingress +sample-rate +0\\.3 \\(set blind\\)");
    }

    /** docs/workshop/lab-6-broken-propagation.md */
    @Test
    @Order(6)
    void lab_6_a_proxy_that_does_not_propagate_breaks_the_trees_and_check_names_it() throws Exception {
        lab().cli("fault", "set", "voting-svc-proxy", "propagation", "off");
        HttpResponse<String> vote = lab().sampled("/api/vote?choice=:joy:");
        List<StoredSpan> spans = Traces.await(lab().backend(), SharedPipeline.traceId(vote), s -> s.size() >= 11, Duration.ofSeconds(30));
        StoredSpan voting = one(spans, "voting-svc", "SERVER");
        StoredSpan proxy = one(spans, "voting-svc-proxy", "SERVER");
        // "`voting-svc-proxy`'s span is still there (tagged `emojivoto.fault=propagation-off`), but `voting-svc`'s span is
        // no longer its child: it hangs from `web-svc-proxy`'s CLIENT span, beside it."
        assertThat(voting.parentId()).as("a sibling of the proxy's span, not its child").isEqualTo(proxy.parentId());
        assertThat(spans.stream().filter(s -> s.id().equals(voting.parentId())).map(s -> s.serviceName() + " " + s.kind()))
                .containsExactly("web-svc-proxy CLIENT");
        assertThat(proxy.tags()).containsEntry("emojivoto.fault", "propagation-off");
        screenshot(SharedPipeline.traceId(vote), "lab-6-broken-propagation", "voting-svc-proxy: post", true,
                List.of("emojivoto.fault propagation-off"), "voting-svc-proxy");
        String terminal = lab().cli("trace", SharedPipeline.traceId(vote));
        assertThat(terminal).as("the terminal's waterfall marks the skipped hop")
                .contains("check: ✗").contains("unexpected parent web-svc-proxy CLIENT").contains("missing hop voting-svc SERVER");
        // "voting-svc's line sits beside voting-svc-proxy's instead of under it": the same indentation.
        java.util.function.Function<String, Integer> indentOf = start -> terminal.lines().filter(l -> l.matches("[ │├└]*" + start + ".*"))
                .findFirst().map(l -> l.indexOf(start)).orElseThrow();
        assertThat(indentOf.apply("voting-svc SERVER")).isEqualTo(indentOf.apply("voting-svc-proxy SERVER"));
        long checkStarted = System.nanoTime();
        String report = lab().cli("check", "--requests", "100");
        // docs/commands.md: it stops waiting once no trace has gained a span for 10 s, not after a minute.
        assertThat(Duration.ofNanos(System.nanoTime() - checkStarted)).as("check judged the broken traces once they settled")
                .isLessThan(Duration.ofSeconds(40));
        assertThat(report).contains("voting-svc SERVER under web-svc-proxy CLIENT, skipping a hop")
                .contains("voting-svc-proxy SERVER: missing hop voting-svc SERVER")
                .contains("FAILED: tracing broke").contains("the spans below voting-svc-proxy hang from the hop above it");
    }

    /** docs/workshop/lab-7-the-collector-down.md */
    @Test
    @Order(7)
    void lab_7_with_the_collector_down_requests_are_fine_spans_are_dropped_and_counted_and_traces_resume() throws Exception {
        HttpResponse<String> before = lab().sampled("/api/vote?choice=:joy:");
        lab().completeTrace(before, "/api/vote");
        double droppedBefore = dropped();
        // What the lab kills: the part the spans go to (Zipkin, or with Jaeger the collector in front of it).
        var receiver = lab().pipeline().part(lab().spanReceiver());
        int restarts = receiver.restarts();
        ProcessHandle.of(receiver.process().pid()).orElseThrow().destroyForcibly();
        // "Every vote answers 200, as fast as before."
        for (int i = 0; i < 50; i++) {
            long start = System.nanoTime();
            assertThat(lab().get("/api/vote?choice=:joy:").statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
        // "The drop counters … have grown by the spans that had nowhere to go."
        Awaitility.await("spans dropped and counted").atMost(Duration.ofSeconds(30)).until(() -> dropped() > droppedBefore);
        // "Zipkin comes back (its count of restarts in `status` goes up by one)" / "`status` shows the collector restarted"
        Awaitility.await("the supervisor brings it back").atMost(Duration.ofSeconds(60))
                .until(() -> receiver.restarts() > restarts && lab().backend().healthy());
        assertThat(receiver.restarts()).isEqualTo(restarts + 1);
        // Zipkin: "…, empty"; Jaeger: "The traces Jaeger already had are still there: only the collector died."
        if (lab().backendChoice() == BackendChoice.ZIPKIN) {
            assertThat(lab().backend().trace(SharedPipeline.traceId(before))).as("Zipkin's store died with it").isEmpty();
        } else {
            assertThat(lab().backend().trace(SharedPipeline.traceId(before))).as("Jaeger kept it").hasSize(11);
        }
        // "and the next sampled vote's trace is complete: every reporter reconnected on its own."
        Awaitility.await("traces resume").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            String traceId = SharedPipeline.traceId(lab().sampled("/api/vote?choice=:tada:"));
            Thread.sleep(2000); // a reporter flushes every 250 ms, the ingress every second
            return ExpectedTrace.problems(lab().backend().trace(traceId), "/api/vote", 200).isEmpty();
        });
    }

    /** Spans every reporter counted as dropped: the proxies' /metrics, the services' /actuator/prometheus, the ingress's /status. */
    private double dropped() throws Exception {
        double total = 0;
        for (var part : lab().pipeline().parts().values()) {
            String url = part.faultsUrl() == null ? null : part.name().endsWith("-proxy") ? part.faultsUrl().replace("/faults", "/metrics")
                    : part.name().equals("ingress") ? part.faultsUrl().replace("/faults", "/status")
                    : part.faultsUrl().replace("/faults", "/prometheus");
            if (url == null) {
                continue;
            }
            String body = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("(?m)(?:^zipkin_reporter_spans_dropped_total(?:\\{[^}]*\\})? |\"spans_dropped\":)([0-9.eE+]+)").matcher(body);
            while (m.find()) {
                total += Double.parseDouble(m.group(1));
            }
        }
        return total;
    }

    /** docs/workshop/lab-8-what-a-proxy-span-measures.md */
    @Test
    @Order(8)
    void lab_8_a_proxy_span_is_its_apps_span_plus_the_hop() throws Exception {
        lab().cli("fault", "set", "emoji-svc", "delay", "200ms");
        List<Long> overheads = new java.util.ArrayList<>();
        List<Long> endGaps = new java.util.ArrayList<>();
        String shown = null;
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> vote = lab().sampled("/api/vote?choice=:joy:");
            List<StoredSpan> spans = lab().completeTrace(vote, "/api/vote");
            StoredSpan app = one(spans, "emoji-svc", "SERVER");
            StoredSpan proxy = one(spans, "emoji-svc-proxy", "SERVER");
            assertThat(app.parentId()).isEqualTo(proxy.id());
            assertThat(proxy.timestamp()).as("the proxy's span starts first").isLessThanOrEqualTo(app.timestamp());
            assertThat(app.duration()).isGreaterThanOrEqualTo(200_000);
            assertThat(proxy.timestamp() + proxy.duration()).as("the proxy's span holds the app's 200 ms of work")
                    .isGreaterThanOrEqualTo(app.timestamp() + 200_000);
            // grpc-java ends a server span when the call is complete, after its trailers have left: the proxy can
            // pass them on and end its own span a little before the app's span ends.
            // "the two spans end within a few milliseconds of each other, in either order"
            long endGap = Math.abs(proxy.timestamp() + proxy.duration() - (app.timestamp() + app.duration()));
            endGaps.add(endGap);
            overheads.add(app.timestamp() - proxy.timestamp());
            shown = SharedPipeline.traceId(vote);
        }
        overheads.sort(null);
        endGaps.sort(null);
        System.out.println("lab 8: proxy-to-app start gaps " + overheads + " µs; end gaps " + endGaps + " µs");
        // "a fraction of a millisecond to a few milliseconds before emoji-svc's": the median of five votes, in µs
        assertThat(overheads.get(2)).isLessThan(5_000);
        assertThat(endGaps.get(2)).as("the median end gap, in µs").isLessThan(5_000);
        screenshot(shown, "lab-8-proxy-span", "emoji-svc-proxy: post", false, List.of("Server Start"), "emoji-svc-proxy");
        if (lab().backendChoice() == BackendChoice.ZIPKIN) {
            // "each annotation's offset from the start of the trace is given to the microsecond (61.742ms); its
            // Start Time is the wall clock, to the millisecond only"
            String details = ZipkinTracePage.detailsText(browser);
            assertThat(details).containsPattern("(?m)^\\d+\\.\\d{3}ms$").containsPattern("Start Time \\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\n");
        }
    }

    /** docs/workshop/lab-14-which-votes-fail.md */
    @Test
    @Order(14)
    void lab_14_one_emoji_fails_a_share_of_its_votes_found_by_searching_traces() throws Exception {
        lab().cli("reset");
        asAfterAPlainUp();
        lab().cli("fault", "set", "ingress", "sample-rate", "1");
        assertThat(lab().cli("fault", "set", "voting-svc", "failure-rate", "0.5", "--emoji", "random", "--blind"))
                .contains("voting-svc failure-rate = hidden").contains("chosen at random: which one?");
        java.util.regex.Matcher revealed = java.util.regex.Pattern.compile("voting-svc +failure-rate +0\\.5 for (:[a-z0-9_+-]+:) only")
                .matcher(lab().cli("fault", "list", "--reveal"));
        assertThat(revealed.find()).isTrue();
        String chosen = revealed.group(1);
        assertThat(chosen).isNotEqualTo(":doughnut:");
        // Bad input, refused with exit status 2 and nothing changed: an emoji on a switch that acts on every request,
        // an emoji that is not in the table.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> lab().cli("fault", "set", "emoji-svc", "delay", "1s", "--emoji", ":joy:"))
                .isInstanceOf(io.emojivoto.launcher.UsageException.class)
                .hasMessageContaining("cannot be limited to one emoji").hasMessageContaining("--emoji is for voting-svc's delay and failure-rate");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> lab().cli("fault", "set", "voting-svc", "delay", "1s", "--emoji", ":unicorn:"))
                .isInstanceOf(io.emojivoto.launcher.UsageException.class).hasMessageContaining("not ':unicorn:'; they are")
                .hasMessageContaining(":joy:");
        assertThat(lab().cli("fault", "list", "--reveal")).containsPattern("emoji-svc +delay +0ms ")
                .containsPattern("voting-svc +failure-rate +0\\.5 for " + java.util.regex.Pattern.quote(chosen));
        // "`status` and `fault list` say a `failure-rate` is hidden"
        assertThat(lab().cli("status")).contains("switch on:  failure-rate, hidden").doesNotContain(chosen);
        assertThat(lab().cli("fault", "list")).containsPattern("voting-svc +failure-rate +hidden").doesNotContain(chosen);

        long movedAt = System.currentTimeMillis() * 1000; // µs, as span timestamps
        List<List<StoredSpan>> failedVotes = List.of();
        List<List<StoredSpan>> itsVotes = List.of();
        for (int run = 0; run < 3; run++) { // "If none did, or the next step finds no vote for that emoji that succeeded, run it again."
            String report = lab().cli("check", "--requests", "2000");
            // "`check` reports a few failed requests (`requests sent: 2000 (…× 200, …× 500)`)"
            assertThat(report).contains("requests sent:            2000 (");
            // "the ones from before the move (a doughnut vote the bot cast right after the reset) are older than your check"
            failedVotes = lab().backend().tracesTagged("voting-svc", "rpc.grpc.status_code", "2", 1000).stream()
                    .filter(trace -> one(trace, "ingress", "SERVER").timestamp() >= movedAt).toList();
            itsVotes = lab().backend().tracesTagged("voting-svc", "emojivoto.emoji", chosen, 1000);
            if (!failedVotes.isEmpty() && itsVotes.stream().anyMatch(t -> !failed(t))) {
                assertThat(report).containsPattern("\\d+× 500");
                break;
            }
        }
        // "Every failed vote since step 2 has a voting-svc span that carries the same `emojivoto.emoji`, the emoji you are looking for, and
        // none carries an `emojivoto.fault` tag" (and "the doughnut's votes no longer fail").
        assertThat(failedVotes).as("failed votes found by the search").isNotEmpty().allSatisfy(trace -> {
            StoredSpan voting = one(trace, "voting-svc", "SERVER");
            assertThat(voting.tags()).containsEntry("emojivoto.emoji", chosen).containsKey("error");
            assertThat(trace).allSatisfy(span -> assertThat(span.tags()).doesNotContainKey("emojivoto.fault"));
        });
        // "The search by that emoji finds failed and successful votes both"
        assertThat(itsVotes).anyMatch(WorkshopLabs::failed).anyMatch(t -> !failed(t));
    }

    private static boolean failed(List<StoredSpan> trace) {
        return trace.stream().anyMatch(s -> s.serviceName().equals("voting-svc") && "SERVER".equals(s.kind()) && s.tags().containsKey("error"));
    }

    /** docs/workshop/lab-12-from-a-trace-to-its-logs.md */
    @Test
    @Order(12)
    void lab_12_a_failed_votes_log_lines_are_found_by_its_trace_id_alone() throws Exception {
        HttpResponse<String> doughnut = lab().sampled("/api/vote?choice=:doughnut:");
        assertThat(doughnut.statusCode()).isEqualTo(500);
        lab().completeTrace(doughnut, "/api/vote");
        String traceId = SharedPipeline.traceId(doughnut);
        // "Three lines, one from each part that wrote about the request, oldest first: voting-svc's warning, web-svc's, the ingress's access log line."
        String[] logs = new String[1];
        Awaitility.await("the ingress's access log line").atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            logs[0] = lab().cli("logs", traceId);
            return logs[0].lines().anyMatch(l -> l.matches("\\S+  ingress .*"));
        });
        List<String> lines = logs[0].lines().toList();
        int voting = indexOf(lines, "voting-svc ", "Vote for :doughnut: failed on purpose");
        int web = indexOf(lines, "web-svc ", "gRPC call failed: UNKNOWN");
        int ingress = indexOf(lines, "ingress ", "trace=" + traceId);
        assertThat(voting).as("voting-svc's line first").isLessThan(web);
        assertThat(web).as("then web-svc's, then the ingress's").isLessThan(ingress);
        assertThat(lines.get(ingress)).contains("\" 500 ");
        assertThat(lines).as("every line names the trace").allMatch(l -> l.contains(traceId));
        if (lab().backendChoice() == BackendChoice.ZIPKIN) {
            java.nio.file.Files.writeString(io.emojivoto.localrun.ProjectPaths.root().resolve(SCREENSHOTS).resolve("lab-12-logs-of-a-trace.txt"),
                    "$ ./emojivoto logs " + traceId + "\n" + logs[0]);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> lab().cli("logs", "0123456789abcdef0123456789abcdef"))
                .isInstanceOf(io.emojivoto.launcher.LauncherException.class).hasMessageStartingWith("no log line names trace");
        // "The same command works for a vote that was not sampled: its lines carry its trace id too."
        HttpResponse<String> unsampled = null;
        for (int i = 0; i < 60 && (unsampled == null || !unsampled.headers().firstValue("X-B3-Sampled").orElse("").equals("0")); i++) {
            unsampled = lab().get("/api/vote?choice=:doughnut:");
        }
        String unsampledId = SharedPipeline.traceId(unsampled);
        assertThat(unsampled.headers().firstValue("X-B3-Sampled")).hasValue("0");
        Awaitility.await("an unsampled vote's lines").atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
                assertThat(lab().cli("logs", unsampledId)).contains("Vote for :doughnut: failed on purpose").contains("trace=" + unsampledId));
    }

    /** docs/workshop/lab-13-baggage.md */
    @Test
    @Order(13)
    void lab_13_a_learners_name_rides_every_hop_as_baggage_and_finds_their_votes() throws Exception {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        browser.get(lab().pipeline().ingressUrl() + "/");
        browser.manage().deleteAllCookies();
        browser.navigate().refresh();
        // "The page asks your name once": type it, and the page says the tag your votes' spans carry.
        wait.until(d -> d.findElement(By.id("learner-name")).isDisplayed());
        browser.findElement(By.id("learner-name")).sendKeys("ada");
        browser.findElement(By.cssSelector("#learner-form button")).click();
        wait.until(d -> d.findElement(By.id("learner-shown")).getText().equals("ada"));
        String traceLink = VotePage.voteUntilTraced(browser, lab().pipeline().ingressUrl(), ":rocket:");
        assertThat(traceLink).as("a sampled vote within 30").isNotNull();
        if (lab().backendChoice() == BackendChoice.ZIPKIN) {
            Browser.screenshotTo(browser, SCREENSHOTS.resolve("lab-13-learner-named.png"));
        }
        String traceId = traceLink.substring(traceLink.lastIndexOf('/') + 1);
        List<StoredSpan> spans = io.emojivoto.testkit.Traces.await(lab().backend(), traceId,
                s -> ExpectedTrace.problems(s, "/api/vote", 200).isEmpty(), Duration.ofSeconds(30));
        // "Every span the ingress and the services made carries learner=ada" (the proxies carry the header, and tag nothing).
        assertThat(spans.stream().filter(span -> !span.serviceName().endsWith("-proxy")))
                .hasSize(6).allSatisfy(span -> assertThat(span.tags()).as(span.toString()).containsEntry("learner", "ada"));
        // "Search for service voting-svc, tag learner=ada: your votes, and nobody else's."
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<List<StoredSpan>> mine = lab().backend().tracesTagged("voting-svc", "learner", "ada", 100);
            assertThat(mine).anyMatch(trace -> trace.stream().anyMatch(span -> span.traceId().equals(traceId)));
            assertThat(mine).allMatch(trace -> trace.stream().anyMatch(span -> "ada".equals(span.tag("learner"))));
        });
        assertThat(lab().backend().tracesTagged("voting-svc", "learner", "mallory", 100)).isEmpty();
        browser.manage().deleteAllCookies();
    }

    /** The index of the first line of {@code part} that contains {@code text}. */
    private static int indexOf(List<String> lines, String part, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("\\S+  " + part + " *.*") && lines.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no " + part + "line with '" + text + "' in\n" + String.join("\n", lines));
    }

    /** docs/workshop/README.md: the reset between labs. */
    @Test
    @Order(9)
    void between_labs_reset_puts_every_switch_back_and_empties_the_trace_store() throws Exception {
        lab().cli("fault", "set", "voting-svc", "delay", "100ms");
        assertThat(lab().cli("status")).contains("switch on:  voting-svc delay = 100ms (start 40ms");
        String before = SharedPipeline.traceId(lab().sampled("/api/vote?choice=:joy:"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !lab().backend().trace(before).isEmpty());
        String reset = lab().cli("reset");
        assertThat(reset).contains("every switch back to its start value").contains(lab().traceStore() + " is back");
        assertThat(lab().cli("fault", "list")).as("back to its start value, " + SharedPipeline.ARTIFICIAL_DELAY)
                .containsPattern("voting-svc +delay +40ms +40ms");
        assertThat(lab().backend().trace(before)).as("the store starts empty").isEmpty();
    }
}
