package io.emojivoto.bot;

import java.time.Duration;
import java.util.Map;

/**
 * The bot's settings, from the environment variables of the original vote-bot.
 *
 * @param webHost         host:port to send traffic to ({@code WEB_HOST}; in the pipeline, the ingress)
 * @param hostOverride    Host header to send instead, for host-based routing ({@code HOST_OVERRIDE})
 * @param requestRate     votes per second ({@code REQUEST_RATE}, default 1)
 * @param ttl             how long to run, or null for ever ({@code TTL}, seconds or a duration like 90s)
 * @param summaryInterval how often to log the outcome counts ({@code SUMMARY_INTERVAL}, default 5s)
 */
public record BotConfig(String webHost, String hostOverride, double requestRate, Duration ttl, Duration summaryInterval) {

    /** Share of votes that go to :doughnut:, the emoji that fails on purpose. */
    public static final double DOUGHNUT_SHARE = 0.15;

    public BotConfig {
        if (webHost == null || !webHost.matches("[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5}")) {
            throw new IllegalArgumentException("WEB_HOST must be host:port (e.g. 127.0.0.1:8080), got '" + webHost + "'");
        }
        if (!(requestRate > 0) || requestRate > 10_000) {
            throw new IllegalArgumentException("REQUEST_RATE must be a number of votes per second in (0, 10000], got " + requestRate);
        }
    }

    public static BotConfig fromEnvironment(Map<String, String> env) {
        return new BotConfig(
                env.get("WEB_HOST"),
                blankToNull(env.get("HOST_OVERRIDE")),
                parseRate(env.getOrDefault("REQUEST_RATE", "1")),
                parseDuration("TTL", env.get("TTL")),
                java.util.Optional.ofNullable(parseDuration("SUMMARY_INTERVAL", env.get("SUMMARY_INTERVAL")))
                        .orElse(Duration.ofSeconds(5)));
    }

    private static double parseRate(String value) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("REQUEST_RATE must be a number, got '" + value + "'");
        }
    }

    /** "30" (seconds, as in the original), "30s", "5m", "250ms"; empty or 0 means none. */
    static Duration parseDuration(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim().toLowerCase();
        try {
            Duration d;
            if (v.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            } else if (v.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
            } else {
                d = Duration.ofSeconds(Long.parseLong(v));
            }
            if (d.isNegative()) {
                throw new NumberFormatException();
            }
            return d.isZero() ? null : d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be seconds or a duration like 90s, 5m, 250ms; got '" + value + "'");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    public Duration interval() {
        return Duration.ofNanos((long) (1_000_000_000L / requestRate));
    }
}
