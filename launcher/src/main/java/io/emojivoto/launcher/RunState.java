package io.emojivoto.launcher;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * What a running pipeline leaves in its run folder, {@code pipeline.properties}: the supervisor's
 * PID, the port plan and backend, and each part's PID, health URL and restarts. `status`, `check`,
 * `fault` and `down` find the pipeline's ports and processes there, whether `up` runs in the
 * foreground or detached. Rewritten whole (a new file moved into place) at every change.
 */
final class RunState {

    /** One part as recorded. */
    record Entry(String name, long pid, String healthUrl, String url, int restarts, long startedAt, String faultsUrl) {
    }

    /**
     * @param state      "starting" until every part is healthy, then "running"
     * @param supervisor the PID of the launcher that supervises the parts
     */
    record State(String state, long supervisor, PortPlan ports, int portOffset, BackendChoice backend, String traceUiUrl,
                 String traceUiServes, String listen, String sampling, Map<String, Entry> parts) {

        boolean running() {
            return "running".equals(state);
        }

        String ingressUrl() {
            return "http://127.0.0.1:" + ports.ingress();
        }

        String ingressStatusUrl() {
            return "http://127.0.0.1:" + ports.ingressStatus();
        }
    }

    private static final String FILE = "pipeline.properties";

    private RunState() {
    }

    static Path file(Path runDir) {
        return runDir.resolve(FILE);
    }

    static synchronized void write(Path runDir, Pipeline pipeline, String state, int portOffset) {
        Properties p = new Properties();
        p.setProperty("state", state);
        p.setProperty("supervisor.pid", Long.toString(ProcessHandle.current().pid()));
        p.setProperty("backend", pipeline.options().backend().label());
        p.setProperty("sampling", pipeline.options().sampling());
        p.setProperty("trace-ui.url", pipeline.traceUiUrl());
        p.setProperty("trace-ui.serves", pipeline.traceUiServes());
        p.setProperty("port-offset", Integer.toString(portOffset));
        if (pipeline.options().listen() != null) {
            p.setProperty("listen", pipeline.options().listen());
        }
        pipeline.ports().ports().forEach((key, port) -> p.setProperty("port." + key, Integer.toString(port)));
        List<String> order = new ArrayList<>();
        pipeline.parts().values().forEach(part -> {
            order.add(part.name());
            String prefix = "part." + part.name() + ".";
            p.setProperty(prefix + "pid", part.process() == null ? "0" : Long.toString(part.process().pid()));
            p.setProperty(prefix + "health", part.healthUrl() == null ? "" : part.healthUrl());
            p.setProperty(prefix + "url", part.url() == null ? "" : part.url());
            p.setProperty(prefix + "restarts", Integer.toString(part.restarts()));
            p.setProperty(prefix + "started", Long.toString(part.startedAt()));
            p.setProperty(prefix + "faults", part.faultsUrl() == null ? "" : part.faultsUrl());
        });
        p.setProperty("parts", String.join(",", order));
        try {
            Files.createDirectories(runDir);
            Path temporary = runDir.resolve(FILE + ".new");
            try (Writer out = Files.newBufferedWriter(temporary)) {
                p.store(out, "the emojivoto pipeline started by ./emojivoto up");
            }
            Files.move(temporary, file(runDir), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Optional<State> read(Path runDir) {
        if (!Files.exists(file(runDir))) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file(runDir))) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Integer> ports = new LinkedHashMap<>();
        p.stringPropertyNames().stream().filter(k -> k.startsWith("port.")).sorted()
                .forEach(k -> ports.put(k.substring("port.".length()), Integer.parseInt(p.getProperty(k))));
        Map<String, Entry> parts = new LinkedHashMap<>();
        for (String name : p.getProperty("parts", "").split(",")) {
            if (name.isEmpty()) {
                continue;
            }
            String prefix = "part." + name + ".";
            parts.put(name, new Entry(name, Long.parseLong(p.getProperty(prefix + "pid", "0")), p.getProperty(prefix + "health", ""),
                    p.getProperty(prefix + "url", ""), Integer.parseInt(p.getProperty(prefix + "restarts", "0")),
                    Long.parseLong(p.getProperty(prefix + "started", "0")), p.getProperty(prefix + "faults", "")));
        }
        return Optional.of(new State(p.getProperty("state", "running"), Long.parseLong(p.getProperty("supervisor.pid", "0")),
                new PortPlan(ports), Integer.parseInt(p.getProperty("port-offset", "0")),
                BackendChoice.parse(p.getProperty("backend", "zipkin")), p.getProperty("trace-ui.url", ""), p.getProperty("trace-ui.serves", ""), p.getProperty("listen"),
                p.getProperty("sampling", "head"), parts));
    }

    /** The programs a run starts: a process running another is a recycled PID, not one of ours. */
    private static final List<String> PROGRAMS = List.of("java", "nginx", "openresty", "jaeger", "prometheus");

    /** The process, if it is still one we started, not a recycled PID. */
    static Optional<ProcessHandle> alive(long pid) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> h.info().command()
                .map(c -> PROGRAMS.stream().anyMatch(c::endsWith)).orElse(true));
    }

    static Optional<ProcessHandle> alive(Entry entry) {
        return entry.pid() == 0 ? Optional.empty() : alive(entry.pid());
    }

    /** Stops one process: SIGTERM (SIGQUIT for nginx, which then flushes its spans), SIGKILL after 15 s. */
    static void stop(String name, ProcessHandle handle) {
        if (name.equals("ingress")) {
            try {
                new ProcessBuilder("kill", "-QUIT", Long.toString(handle.pid())).start().waitFor();
            } catch (IOException e) {
                handle.destroy();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            handle.destroy();
        }
        try {
            handle.onExit().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            handle.destroyForcibly();
        }
    }

    static void delete(Path runDir) {
        try {
            Files.deleteIfExists(file(runDir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
