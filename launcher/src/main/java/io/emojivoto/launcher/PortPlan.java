package io.emojivoto.launcher;

import io.emojivoto.localrun.FreePort;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Every port of the local pipeline, by its key in the one definition,
 * {@code contracts/src/main/resources/emojivoto/ports.properties} (without the {@code emojivoto.ports.}
 * prefix). {@link #local(int)} reads that file and moves every port by an offset; tests use
 * {@link #free()}.
 */
public record PortPlan(Map<String, Integer> ports) {

    private static final String PREFIX = "emojivoto.ports.";
    /** The highest offset that keeps the highest port of the plan a valid port. */
    public static final int MAX_PORT = 65535;

    public PortPlan {
        ports = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(ports)); // by key: a part's ports together
    }

    /** The plan of ports.properties, each port moved by {@code offset}. */
    public static PortPlan local(int offset) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        definition().forEach((key, port) -> ports.put(key, port + offset));
        PortPlan plan = new PortPlan(ports);
        for (Map.Entry<String, Integer> port : plan.ports.entrySet()) {
            if (port.getValue() < 1 || port.getValue() > MAX_PORT) {
                throw new IllegalArgumentException("--port-offset " + offset + " would put " + port.getKey() + " on port "
                        + port.getValue() + ", outside 1-" + MAX_PORT + "; the offset must be from " + minOffset() + " to "
                        + maxOffset());
            }
        }
        return plan;
    }

    public static PortPlan local() {
        return local(0);
    }

    /** The lowest and highest offsets that keep every port of the plan valid. */
    public static int minOffset() {
        return 1024 - definition().values().stream().mapToInt(Integer::intValue).min().orElseThrow();
    }

    public static int maxOffset() {
        return MAX_PORT - definition().values().stream().mapToInt(Integer::intValue).max().orElseThrow();
    }

    /** Every key of the plan on a free port, for tests that run beside anything else. */
    public static PortPlan free() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        definition().keySet().forEach(key -> ports.put(key, FreePort.next()));
        return new PortPlan(ports);
    }

    /** The same plan with one port changed (for tests). */
    public PortPlan with(String key, int port) {
        Map<String, Integer> changed = new LinkedHashMap<>(ports);
        changed.put(key, port);
        return new PortPlan(changed);
    }

    private static Map<String, Integer> definition() {
        Properties p = new Properties();
        try (InputStream in = PortPlan.class.getResourceAsStream("/emojivoto/ports.properties")) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Integer> ports = new LinkedHashMap<>();
        p.stringPropertyNames().stream().filter(k -> k.startsWith(PREFIX)).sorted()
                .forEach(k -> ports.put(k.substring(PREFIX.length()), Integer.parseInt(p.getProperty(k).trim())));
        return ports;
    }

    public int port(String key) {
        Integer port = ports.get(key);
        if (port == null) {
            throw new IllegalArgumentException("no port '" + key + "' in the port plan");
        }
        return port;
    }

    public int ingress() {
        return port("ingress");
    }

    public int ingressStatus() {
        return port("ingress-status");
    }

    /** Where every part sends its spans: the Zipkin server, or the collector's zipkin receiver. */
    public int zipkin() {
        return port("zipkin");
    }

    /** The ports of one part, by key prefix ("web-svc" gives web-svc, web-svc.app, …). */
    public Map<String, Integer> of(String prefix) {
        Map<String, Integer> selected = new LinkedHashMap<>();
        ports.forEach((key, port) -> {
            if (key.equals(prefix) || key.startsWith(prefix + ".")) {
                selected.put(key, port);
            }
        });
        return selected;
    }
}
