package io.emojivoto.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bot against an in-process stand-in for web-svc (the real pipeline is tested end to end elsewhere). */
class VoteBotTest {

    private static final String LIST = "[{\"shortcode\":\":joy:\",\"unicode\":\"x\"},{\"shortcode\":\":doughnut:\",\"unicode\":\"y\"},"
            + "{\"shortcode\":\":fire:\",\"unicode\":\"z\"},{\"shortcode\":\":100:\",\"unicode\":\"w\"}]";

    private HttpServer server;
    private final Map<String, LongAdder> votes = new ConcurrentHashMap<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private final List<String> hosts = new CopyOnWriteArrayList<>();
    private final AtomicInteger traceHeaders = new AtomicInteger();

    private int startWeb(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server.createContext("/", this::handle);
        server.start();
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        paths.add(path);
        hosts.add(exchange.getRequestHeaders().getFirst("Host"));
        if (exchange.getRequestHeaders().keySet().stream().anyMatch(h -> h.toLowerCase().startsWith("x-b3"))) {
            traceHeaders.incrementAndGet();
        }
        byte[] body = new byte[0];
        int status = 200;
        if (path.equals("/api/list")) {
            body = LIST.getBytes(StandardCharsets.UTF_8);
        } else if (path.equals("/api/vote")) {
            String choice = URLDecoder.decode(exchange.getRequestURI().getRawQuery().substring("choice=".length()), StandardCharsets.UTF_8);
            votes.computeIfAbsent(choice, k -> new LongAdder()).increment();
            status = choice.equals(":doughnut:") ? 500 : 200;
        } else {
            status = 404;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static BotConfig config(int port, double rate, Duration ttl) {
        return new BotConfig("127.0.0.1:" + port, null, rate, ttl, Duration.ofSeconds(1));
    }

    private long totalVotes() {
        return votes.values().stream().mapToLong(LongAdder::sum).sum();
    }

    @Test
    void chooses_the_doughnut_15_percent_of_the_time_plus_its_share_of_the_rest() {
        List<String> list = VoteBot.shortcodes(LIST);
        java.util.Random random = new java.util.Random(42);
        int n = 100_000;
        int doughnuts = 0;
        for (int i = 0; i < n; i++) {
            doughnuts += VoteBot.choose(list, random).equals(":doughnut:") ? 1 : 0;
        }
        // 15% forced, plus 1/4 of the other 85% picks it from this 4-emoji list: 0.3625.
        double sigma = Math.sqrt(0.3625 * 0.6375 / n);
        assertThat(doughnuts / (double) n).isBetween(0.3625 - 5 * sigma, 0.3625 + 5 * sigma);
    }

    @Test
    void lists_then_votes_counts_outcomes_by_status_and_sends_no_trace_headers() throws Exception {
        int port = startWeb(0);
        Outcomes outcomes = new VoteBot(config(port, 50, Duration.ofSeconds(1))).run();
        long total = totalVotes();
        assertThat(total).isGreaterThan(10);
        assertThat(paths.get(0)).isEqualTo("/api/list");
        assertThat(paths.get(1)).isEqualTo("/api/vote");
        assertThat(outcomes.count("500")).isEqualTo(votes.getOrDefault(":doughnut:", new LongAdder()).sum());
        assertThat(outcomes.count("200") + outcomes.count("500")).isEqualTo(total);
        assertThat(traceHeaders).as("the ingress starts traces, not the bot").hasValue(0);
    }

    @Test
    void keeps_to_the_request_rate_and_stops_at_the_ttl() throws Exception {
        int port = startWeb(0);
        long start = System.nanoTime();
        new VoteBot(config(port, 20, Duration.ofSeconds(2))).run();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isBetween(Duration.ofMillis(1900), Duration.ofMillis(3500));
        assertThat(totalVotes()).isBetween(30L, 42L);
    }

    @Test
    void survives_a_target_that_is_down_and_resumes_when_it_is_up() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        VoteBot bot = new VoteBot(config(port, 50, Duration.ofSeconds(6)));
        Thread running = new Thread(bot::run);
        running.start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> bot.outcomes().count("connection-refused") >= 2);
        startWeb(port);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> bot.outcomes().count("200") >= 5);
        bot.stop();
        running.join(15_000);
        assertThat(running.isAlive()).isFalse();
        assertThat(bot.outcomes().count("connection-refused")).as("backed off, not hammering").isLessThan(40);
    }

    @Test
    void host_override_sets_the_host_header() throws Exception {
        int port = startWeb(0);
        new VoteBot(new BotConfig("127.0.0.1:" + port, "web-svc.emojivoto", 50, Duration.ofMillis(300), Duration.ofSeconds(5))).run();
        assertThat(hosts).isNotEmpty().allSatisfy(h -> assertThat(h).isEqualTo("web-svc.emojivoto"));
    }

    @Test
    void reads_its_settings_from_the_environment_and_rejects_bad_ones() {
        BotConfig config = BotConfig.fromEnvironment(Map.of("WEB_HOST", "127.0.0.1:8080", "REQUEST_RATE", "2.5", "TTL", "30"));
        assertThat(config.requestRate()).isEqualTo(2.5);
        assertThat(config.ttl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.interval()).isEqualTo(Duration.ofMillis(400));
        assertThat(BotConfig.fromEnvironment(Map.of("WEB_HOST", "h:1", "TTL", "90s")).ttl()).isEqualTo(Duration.ofSeconds(90));
        assertThat(BotConfig.fromEnvironment(Map.of("WEB_HOST", "h:1")).ttl()).isNull();
        assertThatThrownBy(() -> BotConfig.fromEnvironment(Map.of())).hasMessageContaining("WEB_HOST");
        assertThatThrownBy(() -> BotConfig.fromEnvironment(Map.of("WEB_HOST", "h:1", "REQUEST_RATE", "fast")))
                .hasMessageContaining("REQUEST_RATE");
        assertThatThrownBy(() -> BotConfig.fromEnvironment(Map.of("WEB_HOST", "h:1", "REQUEST_RATE", "0")))
                .hasMessageContaining("REQUEST_RATE");
        assertThatThrownBy(() -> BotConfig.fromEnvironment(Map.of("WEB_HOST", "h:1", "TTL", "soon")))
                .hasMessageContaining("TTL");
    }
}
