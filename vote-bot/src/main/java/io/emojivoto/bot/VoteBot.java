package io.emojivoto.bot;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Votes through WEB_HOST at REQUEST_RATE: each round fetches /api/list, then votes for :doughnut:
 * 15% of the time and for a random emoji otherwise, like the original bot. It sends no trace
 * headers: the ingress decides which rounds are traced. When the target is down it backs off
 * (up to 10 s) and keeps trying.
 */
public final class VoteBot {

    static final String DOUGHNUT = ":doughnut:";
    private static final Logger log = Logger.getLogger(VoteBot.class.getName());
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static {
        // HOST_OVERRIDE sets the Host header, which the JDK client refuses unless allowed up front.
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    }

    private final BotConfig config;
    private final HttpClient http;
    private final Outcomes outcomes = new Outcomes();
    private volatile boolean stopped;

    public VoteBot(BotConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    public static void main(String[] args) {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s vote-bot: %5$s%6$s%n");
        BotConfig config;
        try {
            config = BotConfig.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("vote-bot: " + e.getMessage());
            System.exit(2);
            return;
        }
        VoteBot bot = new VoteBot(config);
        Runtime.getRuntime().addShutdownHook(new Thread(bot::stop));
        bot.run();
    }

    public Outcomes outcomes() {
        return outcomes;
    }

    public void stop() {
        stopped = true;
    }

    /** Runs until TTL is reached or {@link #stop()} is called. */
    public Outcomes run() {
        log.info(() -> "voting through http://" + config.webHost() + " at " + config.requestRate() + " votes/s"
                + (config.ttl() == null ? "" : " for " + config.ttl()));
        Instant start = Instant.now();
        Instant end = config.ttl() == null ? Instant.MAX : start.plus(config.ttl());
        Instant nextSummary = start.plus(config.summaryInterval());
        long round = 0;
        Duration backoff = Duration.ZERO;
        while (!stopped && Instant.now().isBefore(end)) {
            boolean reachable = round();
            round++;
            backoff = reachable ? Duration.ZERO : nextBackoff(backoff);
            if (!Instant.now().isBefore(nextSummary)) {
                log.info("outcomes so far: " + outcomes);
                nextSummary = Instant.now().plus(config.summaryInterval());
            }
            // Fixed-rate schedule: the next round is due at start + round * interval, unless backing off.
            Instant due = start.plus(config.interval().multipliedBy(round));
            Instant wakeUp = backoff.isZero() ? due : Instant.now().plus(backoff);
            sleepUntil(wakeUp.isAfter(end) ? end : wakeUp);
        }
        log.info("done after " + round + " rounds; outcomes: " + outcomes);
        return outcomes;
    }

    private static Duration nextBackoff(Duration current) {
        Duration next = current.isZero() ? Duration.ofMillis(250) : current.multipliedBy(2);
        return next.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : next;
    }

    /** One round: list, then vote. @return false when the target could not be reached. */
    boolean round() {
        List<String> shortcodes;
        try {
            HttpResponse<String> list = send("/api/list");
            if (list.statusCode() != 200) {
                outcomes.record("list-" + list.statusCode());
                return true;
            }
            shortcodes = shortcodes(list.body());
        } catch (IOException e) {
            return unreachable(e);
        } catch (RuntimeException e) {
            outcomes.record("list-unreadable");
            return true;
        }
        if (shortcodes.isEmpty()) {
            outcomes.record("list-empty");
            return true;
        }
        String choice = choose(shortcodes, ThreadLocalRandom.current());
        try {
            HttpResponse<String> vote = send("/api/vote?choice=" + URLEncoder.encode(choice, StandardCharsets.UTF_8));
            outcomes.record(Integer.toString(vote.statusCode()));
            return true;
        } catch (IOException e) {
            return unreachable(e);
        }
    }

    private boolean unreachable(IOException e) {
        String outcome = e instanceof HttpTimeoutException ? "timeout"
                : e instanceof ConnectException ? "connection-refused" : "io-error";
        if (outcomes.count(outcome) == 0) {
            log.warning("target " + config.webHost() + " unreachable (" + outcome + ": " + e + "); backing off and retrying");
        }
        outcomes.record(outcome);
        return false;
    }

    private HttpResponse<String> send(String pathAndQuery) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + config.webHost() + pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .header("User-Agent", "emojivoto-vote-bot");
        if (config.hostOverride() != null) {
            request.setHeader("Host", config.hostOverride());
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new IOException("interrupted", e);
        }
    }

    /** :doughnut: 15% of the time, otherwise any emoji of the list (doughnut included, as in the original). */
    static String choose(List<String> shortcodes, Random random) {
        return random.nextDouble() < BotConfig.DOUGHNUT_SHARE
                ? DOUGHNUT : shortcodes.get(random.nextInt(shortcodes.size()));
    }

    static List<String> shortcodes(String listJson) {
        List<String> shortcodes = new ArrayList<>();
        for (JsonNode emoji : JSON.readTree(listJson)) {
            String shortcode = emoji.path("shortcode").asString("");
            if (!shortcode.isEmpty()) {
                shortcodes.add(shortcode);
            }
        }
        return shortcodes;
    }

    private void sleepUntil(Instant when) {
        long millis = Duration.between(Instant.now(), when).toMillis();
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
            }
        }
    }
}
