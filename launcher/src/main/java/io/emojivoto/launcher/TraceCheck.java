package io.emojivoto.launcher;

import io.emojivoto.testkit.ZipkinApi;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * `./emojivoto check`: sends requests through the ingress, reads every trace back from the backend,
 * and judges the pipeline: the sampled share against SAMPLE_RATE's binomial bounds, each sampled
 * trace against {@link ExpectedTrace}, and no span at all for an unsampled request.
 */
public final class TraceCheck {

    /** One request the check sent and what the ingress said about its trace. */
    public record Sent(String path, int status, String traceId, boolean sampled) {
    }

    public record Partial(Sent request, List<String> problems) {
    }

    public record Report(int requests, int sampled, double sampleRate, double low, double high, int complete,
                         List<Partial> partial, List<Sent> unsampledWithSpans, List<Sent> sent) {

        public boolean ok() {
            return partial.isEmpty() && unsampledWithSpans.isEmpty() && share() >= low && share() <= high;
        }

        public double share() {
            return requests == 0 ? 0 : sampled / (double) requests;
        }

        public void print(PrintStream out) {
            out.printf("requests sent:            %d%n", requests);
            out.printf("sampled:                  %d (%.1f%%; SAMPLE_RATE %.2f allows %.1f%%-%.1f%%)%s%n", sampled, 100 * share(),
                    sampleRate, 100 * low, 100 * high, share() >= low && share() <= high ? "" : "  <-- implausible");
            out.printf("complete traces:          %d of %d%n", complete, sampled);
            out.printf("partial traces:           %d%n", partial.size());
            for (Partial p : partial) {
                out.printf("  %s %s %d:%n", p.request().traceId(), p.request().path(), p.request().status());
                p.problems().forEach(problem -> out.printf("    - %s%n", problem));
            }
            out.printf("unsampled with spans:     %d%n", unsampledWithSpans.size());
            unsampledWithSpans.forEach(s -> out.printf("  %s %s%n", s.traceId(), s.path()));
            out.println(ok() ? "OK: every sampled request has a complete trace, and no unsampled one has any span"
                    : "FAILED");
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern SHORTCODE = Pattern.compile("\"shortcode\":\"(:[^\"]+:)\"");

    private final String ingressUrl;
    private final String ingressStatusUrl;
    private final ZipkinApi zipkin;
    private final Duration tracesArriveWithin;

    public TraceCheck(String ingressUrl, String ingressStatusUrl, ZipkinApi zipkin, Duration tracesArriveWithin) {
        this.ingressUrl = ingressUrl;
        this.ingressStatusUrl = ingressStatusUrl;
        this.zipkin = zipkin;
        this.tracesArriveWithin = tracesArriveWithin;
    }

    public Report run(int requests, PrintStream progress) throws Exception {
        double rate = sampleRate();
        List<String> emoji = emoji();
        List<Sent> sent = send(requests, emoji, progress);
        int sampled = (int) sent.stream().filter(Sent::sampled).count();
        // Bounds: 4.5 standard deviations either side, so a healthy pipeline fails about once in 150,000 runs.
        double sigma = Math.sqrt(rate * (1 - rate) / Math.max(1, requests));
        double low = Math.max(0, rate - 4.5 * sigma);
        double high = Math.min(1, rate + 4.5 * sigma);

        progress.printf("reading %d traces back from the trace backend…%n", sampled);
        Map<Sent, List<String>> pending = new LinkedHashMap<>();
        sent.stream().filter(Sent::sampled).forEach(s -> pending.put(s, List.of("not read yet")));
        long deadline = System.nanoTime() + tracesArriveWithin.toNanos();
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            for (Sent s : new ArrayList<>(pending.keySet())) {
                List<String> problems = ExpectedTrace.problems(zipkin.trace(s.traceId()), s.path(), s.status());
                if (problems.isEmpty()) {
                    pending.remove(s);
                } else {
                    pending.put(s, problems);
                }
            }
            if (!pending.isEmpty()) {
                Thread.sleep(500);
            }
        }
        List<Partial> partial = pending.entrySet().stream().map(e -> new Partial(e.getKey(), e.getValue())).toList();
        // Every sampled trace is in (or given up on), so every reporter has flushed past the unsampled requests.
        List<Sent> leaked = sent.stream().filter(s -> !s.sampled()).filter(s -> !zipkin.trace(s.traceId()).isEmpty()).toList();
        return new Report(requests, sampled, rate, low, high, sampled - partial.size(), partial, leaked, sent);
    }

    private double sampleRate() throws IOException, InterruptedException {
        String status = HTTP.send(HttpRequest.newBuilder(URI.create(ingressStatusUrl)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("\"sample_rate\":([0-9.eE-]+)").matcher(status);
        if (!m.find()) {
            throw new LauncherException("the ingress status endpoint did not give its sample rate: " + status);
        }
        return Double.parseDouble(m.group(1));
    }

    private List<String> emoji() throws IOException, InterruptedException {
        String list = HTTP.send(HttpRequest.newBuilder(URI.create(ingressUrl + "/api/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
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
    private List<Sent> send(int requests, List<String> emoji, PrintStream progress) throws Exception {
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
            for (int i = 0; i < futures.size(); i++) {
                sent.add(futures.get(i).get());
                if ((i + 1) % 250 == 0) {
                    progress.printf("  sent %d of %d%n", i + 1, requests);
                }
            }
            return sent;
        } finally {
            pool.shutdownNow();
        }
    }

    private Sent request(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(ingressUrl + pathAndQuery))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.discarding());
        String traceId = response.headers().firstValue("X-B3-TraceId").orElseThrow(
                () -> new LauncherException("the ingress answered without X-B3-TraceId: is it our ingress?"));
        boolean sampled = response.headers().firstValue("X-B3-Sampled").orElse("0").equals("1");
        String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
        return new Sent(path, response.statusCode(), traceId, sampled);
    }
}
