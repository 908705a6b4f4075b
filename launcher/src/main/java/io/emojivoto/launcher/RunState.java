package io.emojivoto.launcher;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * What a detached pipeline leaves behind in the run folder: each part's PID, health URL and the
 * command it runs, so that `down` and `status` can find exactly those processes again.
 */
final class RunState {

    record Entry(String name, long pid, String healthUrl, String url) {
    }

    private RunState() {
    }

    static Path file(Path runDir) {
        return runDir.resolve("pipeline.properties");
    }

    static void write(Path runDir, Pipeline pipeline) {
        Properties p = new Properties();
        pipeline.parts().values().forEach(part -> {
            p.setProperty(part.name() + ".pid", Long.toString(part.process().pid()));
            p.setProperty(part.name() + ".health", part.healthUrl() == null ? "" : part.healthUrl());
            p.setProperty(part.name() + ".url", part.url() == null ? "" : part.url());
        });
        try (Writer out = Files.newBufferedWriter(file(runDir))) {
            p.store(out, "emojivoto pipeline started by ./emojivoto up --detach");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Entry> read(Path runDir) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        if (!Files.exists(file(runDir))) {
            return entries;
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file(runDir))) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String order : new String[] {"zipkin", "emoji-svc", "voting-svc", "emoji-svc-proxy", "voting-svc-proxy",
                "web-svc", "web-svc-proxy", "ingress", "vote-bot"}) {
            String pid = p.getProperty(order + ".pid");
            if (pid != null) {
                entries.put(order, new Entry(order, Long.parseLong(pid), p.getProperty(order + ".health"), p.getProperty(order + ".url")));
            }
        }
        return entries;
    }

    /** The process, if it is still the one we started (java or nginx), not a recycled PID. */
    static Optional<ProcessHandle> alive(Entry entry) {
        return ProcessHandle.of(entry.pid()).filter(ProcessHandle::isAlive).filter(h -> h.info().command()
                .map(c -> c.endsWith("java") || c.endsWith("nginx")).orElse(true));
    }

    static void stop(Entry entry) {
        alive(entry).ifPresent(handle -> {
            if (entry.name().equals("ingress")) {
                try { // graceful: nginx flushes its buffered spans
                    new ProcessBuilder("kill", "-QUIT", Long.toString(entry.pid())).start().waitFor();
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
        });
    }

    static void delete(Path runDir) {
        try {
            Files.deleteIfExists(file(runDir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
