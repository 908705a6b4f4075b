package io.emojivoto.proxy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The proxy's settings, from environment variables. Every address is host:port.
 *
 * @param name            service name of the proxy's spans, e.g. web-svc-proxy ({@code PROXY_NAME})
 * @param inbound         where the inbound listener binds ({@code INBOUND_LISTEN}); null for none
 * @param app             the app behind the inbound listener, on loopback ({@code APP_ADDRESS})
 * @param outbound        where the outbound listener binds ({@code OUTBOUND_LISTEN}); null for none
 * @param routes          the static table of the outbound listener, authority → address ({@code ROUTES},
 *                        "emoji-svc:8082=127.0.0.1:8082,...")
 * @param dnsFallback     outbound authorities not in the table resolve through DNS ({@code DNS_FALLBACK})
 * @param admin           where /ready, /live and /metrics bind ({@code ADMIN_LISTEN})
 * @param zipkinEndpoint  where spans go ({@code ZIPKIN_ENDPOINT}); empty turns reporting off
 * @param connectTimeout  to an upstream ({@code CONNECT_TIMEOUT})
 * @param responseTimeout for the upstream's response headers ({@code RESPONSE_TIMEOUT})
 * @param idleTimeout     a client connection idle this long (up to a quarter more) is closed ({@code IDLE_TIMEOUT})
 * @param headerTimeout   an HTTP/1.1 request head or HTTP/2 header block must be complete within this once
 *                        begun ({@code HEADER_TIMEOUT})
 * @param bodyTimeout     a request body that makes no progress this long is ended with 408 ({@code BODY_TIMEOUT})
 * @param maxHeaderSize   request headers larger than this get 431 ({@code MAX_HEADER_SIZE}, bytes)
 * @param drainTimeout    on shutdown, how long in-flight requests may finish ({@code DRAIN_TIMEOUT})
 * @param ioThreads       event-loop threads that carry all connections ({@code IO_THREADS}); one, as a
 *                        sidecar is usually given a fraction of a core, unless there are cores to spare
 * @param transport       the event-loop transport ({@code TRANSPORT}): auto, io_uring, epoll or nio
 */
public record ProxyConfig(String name, InetSocketAddress inbound, InetSocketAddress app, InetSocketAddress outbound,
                          Map<String, InetSocketAddress> routes, boolean dnsFallback, InetSocketAddress admin,
                          String zipkinEndpoint, Duration connectTimeout, Duration responseTimeout,
                          Duration idleTimeout, Duration headerTimeout, Duration bodyTimeout, int maxHeaderSize, Duration drainTimeout,
                          int ioThreads, Transport transport) {

    public ProxyConfig {
        if (inbound != null && app == null) {
            throw new IllegalArgumentException("APP_ADDRESS is required with INBOUND_LISTEN");
        }
        if (inbound == null && outbound == null) {
            throw new IllegalArgumentException("set INBOUND_LISTEN (with APP_ADDRESS), OUTBOUND_LISTEN, or both");
        }
        if (ioThreads < 1 || ioThreads > 256) {
            throw new IllegalArgumentException("IO_THREADS must be from 1 to 256, got " + ioThreads);
        }
        routes = Map.copyOf(routes);
    }

    public static ProxyConfig fromEnvironment(Map<String, String> env) {
        return new ProxyConfig(
                env.getOrDefault("PROXY_NAME", "proxy"),
                address("INBOUND_LISTEN", env.get("INBOUND_LISTEN")),
                address("APP_ADDRESS", env.get("APP_ADDRESS")),
                address("OUTBOUND_LISTEN", env.get("OUTBOUND_LISTEN")),
                routes(env.getOrDefault("ROUTES", "")),
                bool("DNS_FALLBACK", env.getOrDefault("DNS_FALLBACK", "true")),
                address("ADMIN_LISTEN", env.getOrDefault("ADMIN_LISTEN", "127.0.0.1:4191")),
                env.getOrDefault("ZIPKIN_ENDPOINT", "http://127.0.0.1:9411/api/v2/spans"),
                duration("CONNECT_TIMEOUT", env.getOrDefault("CONNECT_TIMEOUT", "1s")),
                duration("RESPONSE_TIMEOUT", env.getOrDefault("RESPONSE_TIMEOUT", "30s")),
                duration("IDLE_TIMEOUT", env.getOrDefault("IDLE_TIMEOUT", "300s")),
                duration("HEADER_TIMEOUT", env.getOrDefault("HEADER_TIMEOUT", "10s")),
                duration("BODY_TIMEOUT", env.getOrDefault("BODY_TIMEOUT", "300s")),
                integer("MAX_HEADER_SIZE", env.getOrDefault("MAX_HEADER_SIZE", "16384")),
                duration("DRAIN_TIMEOUT", env.getOrDefault("DRAIN_TIMEOUT", "10s")),
                count("IO_THREADS", env.getOrDefault("IO_THREADS", "1")),
                Transport.select(env.getOrDefault("TRANSPORT", "auto")));
    }

    static InetSocketAddress address(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        int colon = value.lastIndexOf(':');
        try {
            if (colon <= 0) {
                throw new NumberFormatException();
            }
            int port = Integer.parseInt(value.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return InetSocketAddress.createUnresolved(value.substring(0, colon).replace("[", "").replace("]", ""), port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be host:port, got '" + value + "'");
        }
    }

    static Map<String, InetSocketAddress> routes(String value) {
        Map<String, InetSocketAddress> routes = new LinkedHashMap<>();
        for (String entry : value.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.trim().split("=");
            if (parts.length != 2) {
                throw new IllegalArgumentException("ROUTES entries must be authority=host:port, got '" + entry + "'");
            }
            routes.put(parts[0].trim().toLowerCase(), address("ROUTES", parts[1].trim()));
        }
        return routes;
    }

    static Duration duration(String name, String value) {
        String v = value.trim().toLowerCase();
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            return Duration.ofSeconds(Long.parseLong(v));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a duration like 500ms, 5s or 1m, got '" + value + "'");
        }
    }

    private static boolean bool(String name, String value) {
        return switch (value.trim().toLowerCase()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false, got '" + value + "'");
        };
    }

    private static int count(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
        }
    }

    private static int integer(String name, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 1024 || n > 1 << 20) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number of bytes from 1024 to 1048576, got '" + value + "'");
        }
    }
}
