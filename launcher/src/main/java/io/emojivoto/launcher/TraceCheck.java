package io.emojivoto.launcher;

import io.emojivoto.tracecontext.TraceHeaderNames;
import io.emojivoto.localrun.StoredSpan;
import io.emojivoto.localrun.TraceQueryApi;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * `./emojivoto check`: sends requests through the ingress, reads every trace back from the backend,
 * and judges the pipeline: the sampled share against SAMPLE_RATE's binomial bounds, each sampled
 * trace against {@link ExpectedTrace}, and no span at all for an unsampled request. Under tail
 * sampling (the collector keeps some of the traces the ingress started), a failed request's trace
 * must be complete, and any other's complete or absent: never partial.
 */
public final class TraceCheck {

    /** One request the check sent and what the ingress said about its trace. */
    public record Sent(String path, int status, String traceId, boolean sampled) {
    }

    /** A sampled request whose trace is not complete, and why. */
    public record Partial(Sent request, List<ExpectedTrace.Problem> problems) {

        /** Whether every problem is a hop missing below a span that recorded the failure. */
        public boolean endedAtFailure() {
            return !problems.isEmpty() && problems.stream().allMatch(ExpectedTrace.Problem::afterFailure);
        }
    }

    /**
     * What the check found. {@code failedCalls} are the sampled requests that failed because a part
     * did not answer, whose traces are complete as far as they got; {@code partial} the others that
     * are not complete; {@code backendDown} says the backend stopped answering, so that nothing
     * could be judged.
     */
    public record Report(int requests, int sampled, double sampleRate, double low, double high, int complete,
                         List<Partial> failedCalls, List<Partial> partial, List<Sent> unsampledWithSpans, List<Sent> sent,
                         String backendDown, boolean tailSampled, int notKept, int failedTraced, boolean rateHidden) {

        /** The requests that failed (5xx); {@code failedTraced} of them have their complete trace in the backend. */
        public long failedRequests() {
            return sent.stream().filter(s -> s.status() >= 500).count();
        }

        public boolean ok() {
            return backendDown == null && partial.isEmpty() && failedCalls.isEmpty() && unsampledWithSpans.isEmpty()
                    && share() >= low && share() <= high;
        }

        public double share() {
            return requests == 0 ? 0 : sampled / (double) requests;
        }

        /** The readable report: counts, problems grouped by what they miss, and a verdict. */
        public void print(PrintStream out, boolean verbose) {
            if (backendDown != null) {
                out.println("FAILED: " + backendDown);
                return;
            }
            out.printf("requests sent:            %d (%s)%n", requests, statuses());
            if (rateHidden) { // set blind: judged against the real rate, which is not printed
                out.printf("sampled:                  %d (%.1f%%; the sample rate is hidden, and this share is plausible for it: %s)%n",
                        sampled, 100 * share(), share() >= low && share() <= high ? "yes" : "NO");
            } else {
                out.printf("sampled:                  %d (%.1f%%; SAMPLE_RATE %.2f allows %.1f%%-%.1f%%)%s%n", sampled, 100 * share(),
                        sampleRate, 100 * low, 100 * high, share() >= low && share() <= high ? "" : "  <-- implausible");
            }
            out.printf("complete traces:          %d of %d%s%n", complete, sampled, tailSampled
                    ? "; the collector's tail sampling dropped " + notKept + ", none of them a failed request's" : "");
            out.printf("failed requests traced:   %d of %d%n", failedTraced, failedRequests());
            if (!failedCalls.isEmpty()) {
                out.printf("failed calls:             %d, complete as far as they got:%n", failedCalls.size());
                printGroups(out, failedCalls);
            }
            out.printf("partial traces:           %d%s%n", partial.size(), partial.isEmpty() ? "" : ", by what they miss:");
            printGroups(out, partial);
            out.printf("unsampled with spans:     %d%n", unsampledWithSpans.size());
            unsampledWithSpans.stream().limit(verbose ? Long.MAX_VALUE : 5)
                    .forEach(s -> out.printf("  %s %s%n", s.traceId(), s.path()));
            if (verbose) {
                for (Partial p : concat(failedCalls, partial)) {
                    out.printf("  %s %s %d:%n", p.request().traceId(), p.request().path(), p.request().status());
                    p.problems().forEach(problem -> out.printf("    - %s%n", problem));
                }
            }
            out.println(verdict());
        }

        private static List<Partial> concat(List<Partial> a, List<Partial> b) {
            List<Partial> all = new ArrayList<>(a);
            all.addAll(b);
            return all;
        }

        private String statuses() {
            Map<Integer, Integer> byStatus = new TreeMap<>();
            sent.forEach(s -> byStatus.merge(s.status(), 1, Integer::sum));
            List<String> parts = new ArrayList<>();
            byStatus.forEach((status, n) -> parts.add(n + "× " + status));
            return String.join(", ", parts);
        }

        /** One line per problem: how many traces have it, and one of them to look at. */
        private static void printGroups(PrintStream out, List<Partial> traces) {
            Map<String, List<Sent>> groups = new LinkedHashMap<>();
            for (Partial p : traces) {
                p.problems().stream().map(ExpectedTrace.Problem::summary).distinct()
                        .forEach(summary -> groups.computeIfAbsent(summary, k -> new ArrayList<>()).add(p.request()));
            }
            groups.entrySet().stream().sorted((a, b) -> b.getValue().size() - a.getValue().size()).forEach(group ->
                    out.printf("  %-48s in %4d traces, e.g. %s (%s %d)%n", group.getKey(), group.getValue().size(),
                            group.getValue().get(0).traceId(), group.getValue().get(0).path(), group.getValue().get(0).status()));
        }

        /** The conclusion, telling a part that was down from tracing that broke. */
        public String verdict() {
            if (backendDown != null) {
                return "FAILED: " + backendDown;
            }
            List<String> findings = new ArrayList<>();
            List<String> suspects = ExpectedTrace.suspects(partial.stream().flatMap(p -> p.problems().stream()).toList());
            if (!partial.isEmpty() || !unsampledWithSpans.isEmpty()) {
                findings.add("tracing broke: " + (partial.isEmpty() ? "" : partial.size()
                        + " traces miss spans where no call failed (a hop forwarded a context without reporting its span,"
                        + " a reporter lost spans, or spans are orphaned)")
                        + (suspects.isEmpty() ? "" : "; the spans below " + String.join(" and ", suspects) + " hang from the hop"
                        + " above it: it forwarded the context it received instead of its own span's (./emojivoto fault list"
                        + " shows whether its propagation is off)")
                        + (partial.isEmpty() || unsampledWithSpans.isEmpty() ? "" : "; ")
                        + (unsampledWithSpans.isEmpty() ? "" : unsampledWithSpans.size()
                        + " unsampled requests left spans (a part ignored the sampling decision)"));
            }
            if (!failedCalls.isEmpty()) {
                findings.add("a part was down: " + failedCalls.size() + " requests failed, their callers answered errors,"
                        + " and their traces are complete as far as they got");
            }
            if (share() < low || share() > high) {
                findings.add("the sampled share " + String.format("%.1f%%", 100 * share()) + " is implausible for SAMPLE_RATE "
                        + sampleRate);
            }
            if (findings.isEmpty()) {
                return tailSampled ? "OK: every failed request has a complete trace, every other one a complete trace or none"
                        + " (the collector's tail sampling chose), and no unsampled request has any span"
                        : "OK: every sampled request has a complete trace, and no unsampled one has any span";
            }
            return "FAILED: " + String.join("; and ", findings);
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern SHORTCODE = Pattern.compile("\"shortcode\":\"(:[^\"]+:)\"");
    private static final Pattern TRACE_RESPONSE = Pattern.compile("00-([0-9a-f]{32})-[0-9a-f]{16}-([0-9a-f]{2})");

    private final String ingressUrl;
    private final String ingressStatusUrl;
    private final TraceQueryApi backend;
    private final Duration tracesArriveWithin;
    private final Duration tailDecidedWithin; // null: head sampling, every sampled trace must arrive

    public TraceCheck(String ingressUrl, String ingressStatusUrl, TraceQueryApi backend, Duration tracesArriveWithin) {
        this(ingressUrl, ingressStatusUrl, backend, tracesArriveWithin, null);
    }

    private TraceCheck(String ingressUrl, String ingressStatusUrl, TraceQueryApi backend, Duration tracesArriveWithin,
                       Duration tailDecidedWithin) {
        this.ingressUrl = ingressUrl;
        this.ingressStatusUrl = ingressStatusUrl;
        this.backend = backend;
        this.tracesArriveWithin = tracesArriveWithin;
        this.tailDecidedWithin = tailDecidedWithin;
    }

    /**
     * The same check for a pipeline whose collector samples by the tail: a trace that has not arrived
     * {@code decidedWithin} after its request was dropped by the collector, which is fine unless the
     * request failed (the collector keeps every error).
     */
    public TraceCheck tailSampled(Duration decidedWithin) {
        return new TraceCheck(ingressUrl, ingressStatusUrl, backend, tracesArriveWithin, decidedWithin);
    }

    /**
     * When a tail-sampled trace that has not arrived counts as dropped: the collector's decision_wait
     * (5 s in tracing.yml's collector-tail-sampling.yaml; a test holds the two together), then its
     * batch and Jaeger's store, with room to spare on a busy machine.
     */
    public static final Duration TAIL_DECIDED_WITHIN = Duration.ofSeconds(15);

    /** Requests sent before their traces are read back: few enough that the backend's bounded store still holds them. */
    static final int CHUNK = 250;

    /**
     * How long the traces still incomplete may go without gaining a span before they are judged as they
     * are: the slowest path a span takes is about 2.5 s (the ingress flushes every second, the collector
     * batches for one more, then Jaeger's store), so a trace that a dead or non-propagating hop left
     * incomplete is reported after this, not after the whole {@code tracesArriveWithin}.
     */
    static final Duration SETTLED_AFTER = Duration.ofSeconds(10);

    public Report run(int requests, PrintStream progress) throws Exception {
        if (!backend.healthy()) {
            return backendDown(requests, "the trace backend (" + backend.name() + " at " + backend.baseUrl()
                    + ") does not answer its health check, so no trace can be read: see ./emojivoto status");
        }
        String status = get(ingressStatusUrl);
        boolean rateHidden = status.contains("\"sample_rate\":\"hidden\"");
        double rate = sampleRate(status, rateHidden);
        List<String> emoji = emoji();
        List<Sent> sent = new ArrayList<>();
        List<Partial> notComplete = new ArrayList<>();
        List<Sent> leaked = new ArrayList<>();
        List<Sent> dropped = new ArrayList<>();
        try {
            // A chunk at a time: its traces are read back before the next is sent, so that a long check
            // never outruns the store, which evicts the oldest traces once full.
            for (int done = 0; done < requests; done += CHUNK) {
                List<Sent> chunk = send(Math.min(CHUNK, requests - done), emoji);
                sent.addAll(chunk);
                notComplete.addAll(readBack(chunk, dropped));
                // Every sampled trace of the chunk is in (or given up on), so every reporter has flushed past its unsampled requests.
                chunk.stream().filter(s -> !s.sampled()).filter(s -> !backend.trace(s.traceId()).isEmpty()).forEach(leaked::add);
                progress.printf("  sent %d of %d, traces read back from %s%n", sent.size(), requests, backend.name());
            }
        } catch (TraceQueryApi.Unavailable e) {
            return backendDown(requests, "the trace backend stopped answering while the traces were read (" + e.getMessage()
                    + "), so they cannot be judged: see ./emojivoto status, and check again once it is back");
        }
        int sampled = (int) sent.stream().filter(Sent::sampled).count();
        // Bounds: 4.5 standard deviations either side, so a healthy pipeline fails about once in 150,000 runs.
        double sigma = Math.sqrt(rate * (1 - rate) / Math.max(1, requests));
        double low = Math.max(0, rate - 4.5 * sigma);
        double high = Math.min(1, rate + 4.5 * sigma);
        List<Partial> failedCalls = notComplete.stream().filter(Partial::endedAtFailure).toList();
        List<Partial> partial = notComplete.stream().filter(p -> !p.endedAtFailure()).toList();
        int failedTraced = (int) sent.stream().filter(s -> s.status() >= 500 && s.sampled() && !dropped.contains(s)
                && notComplete.stream().noneMatch(p -> p.request().equals(s))).count();
        return new Report(requests, sampled, rate, low, high, sampled - notComplete.size() - dropped.size(), failedCalls, partial,
                leaked, sent, null, tailDecidedWithin != null, dropped.size(), failedTraced, rateHidden);
    }

    /**
     * Reads the sampled requests' traces until each is complete, or none has gained a span for
     * {@link #SETTLED_AFTER}, or the time is up; returns those that are not complete. Under tail sampling, a trace still absent once the collector has decided is added to
     * {@code dropped} instead, unless its request failed.
     */
    private List<Partial> readBack(List<Sent> chunk, List<Sent> dropped) throws InterruptedException {
        Map<Sent, List<ExpectedTrace.Problem>> pending = new LinkedHashMap<>();
        chunk.stream().filter(Sent::sampled).forEach(s -> pending.put(s, List.of()));
        Map<Sent, Integer> spansSeen = new HashMap<>();
        long sent = System.nanoTime();
        long deadline = sent + tracesArriveWithin.toNanos();
        long lastArrival = sent; // when a pending trace last gained a span
        while (!pending.isEmpty() && System.nanoTime() < deadline
                && System.nanoTime() - lastArrival < SETTLED_AFTER.toNanos()) {
            boolean decided = tailDecidedWithin != null && System.nanoTime() - sent > tailDecidedWithin.toNanos();
            for (Sent s : new ArrayList<>(pending.keySet())) {
                if (tailDecidedWithin != null && !decided && s.status() < 500) {
                    lastArrival = System.nanoTime(); // not read yet: the settling starts once the collector has decided
                    continue; // the collector may yet drop it: read it once the decision is made
                }
                List<StoredSpan> spans = backend.trace(s.traceId());
                Integer seenBefore = spansSeen.put(s, spans.size());
                if (!spans.isEmpty() && (seenBefore == null || seenBefore != spans.size())) {
                    lastArrival = System.nanoTime();
                }
                List<ExpectedTrace.Problem> problems = ExpectedTrace.judge(spans, s.path(), s.status());
                if (problems.isEmpty()) {
                    pending.remove(s);
                } else if (decided && spans.isEmpty() && s.status() < 500) {
                    pending.remove(s);
                    dropped.add(s);
                } else {
                    pending.put(s, problems);
                }
            }
            if (!pending.isEmpty()) {
                Thread.sleep(500); // spans arrive in batches: look again after the reporters' next flush
            }
        }
        return pending.entrySet().stream().map(e -> new Partial(e.getKey(), e.getValue())).toList();
    }

    private static Report backendDown(int requests, String why) {
        return new Report(requests, 0, 0, 0, 1, 0, List.of(), List.of(), List.of(), List.of(), why, false, 0, 0, false);
    }

    private static String get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The rate in force, from the ingress's status; one set blind from its switch's revealed listing. */
    private double sampleRate(String status, boolean hidden) throws IOException, InterruptedException {
        String source = hidden ? get(ingressStatusUrl.replaceAll("/status$", "/faults?reveal=true")) : status;
        Matcher m = Pattern.compile(hidden ? "\"value\":\"([0-9.eE-]+)\"" : "\"sample_rate\":([0-9.eE-]+)").matcher(source);
        if (!m.find()) {
            throw new LauncherException("the ingress status endpoint did not give its sample rate: " + source);
        }
        return Double.parseDouble(m.group(1));
    }

    private List<String> emoji() throws IOException, InterruptedException {
        String list = get(ingressUrl + "/api/list");
        List<String> shortcodes = new ArrayList<>();
        Matcher m = SHORTCODE.matcher(list);
        while (m.find()) {
            shortcodes.add(m.group(1));
        }
        if (shortcodes.isEmpty()) {
            throw new LauncherException("the ingress did not return the emoji list: is the pipeline up? ./emojivoto status");
        }
        return shortcodes;
    }

    /** Votes (half, the doughnut among them), lists and leaderboards, from four clients. */
    private List<Sent> send(int requests, List<String> emoji) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Sent>> futures = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                int kind = i % 10;
                String path = kind < 5 ? "/api/vote?choice=" + URLEncoder.encode(
                        kind == 0 ? ":doughnut:" : emoji.get(ThreadLocalRandom.current().nextInt(emoji.size())), StandardCharsets.UTF_8)
                        : kind < 8 ? "/api/list" : "/api/leaderboard";
                futures.add(pool.submit(() -> request(path)));
            }
            List<Sent> sent = new ArrayList<>();
            for (Future<Sent> future : futures) {
                sent.add(future.get());
            }
            return sent;
        } finally {
            pool.shutdownNow();
        }
    }

    private Sent request(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(ingressUrl + pathAndQuery))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.discarding());
        // B3's X-B3-TraceId and X-B3-Sampled, or W3C's traceresponse: 00-<trace id>-<span id>-<flags>
        Matcher w3c = TRACE_RESPONSE.matcher(response.headers().firstValue(TraceHeaderNames.TRACERESPONSE).orElse(""));
        String traceId;
        boolean sampled;
        if (w3c.matches()) {
            traceId = w3c.group(1);
            sampled = (Integer.parseInt(w3c.group(2), 16) & 1) == 1;
        } else {
            traceId = response.headers().firstValue(TraceHeaderNames.B3_TRACE_ID).orElseThrow(() -> new LauncherException(
                    "the ingress answered without X-B3-TraceId or traceresponse: is it our ingress?"));
            sampled = response.headers().firstValue(TraceHeaderNames.B3_SAMPLED).orElse("0").equals("1");
        }
        String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
        return new Sent(path, response.statusCode(), traceId, sampled);
    }
}
