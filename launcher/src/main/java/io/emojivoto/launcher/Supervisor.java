package io.emojivoto.launcher;

import io.emojivoto.localrun.ManagedProcess;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Keeps a running pipeline whole: once a second it looks at every part, and restarts one whose
 * process has exited, or whose health check has failed for {@link #UNHEALTHY_FOR}, with the same
 * command, settings and ports. A part that keeps failing is restarted with a growing delay (1 s,
 * 2 s, 4 s … up to 30 s), never in a tight loop; the delay starts over once it has stayed healthy
 * for a minute. The other parts carry on meanwhile: their callers get errors from the missing part,
 * and their reporters drop spans for a dead backend, and count them.
 */
public final class Supervisor {

    static final Duration UNHEALTHY_FOR = Duration.ofSeconds(15);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    static final Duration STAYS_HEALTHY = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    /** What the supervisor knows of one part between looks. */
    private static final class Watch {
        long startedAt;        // when its current process was started
        boolean healthySinceStart;
        long healthySince;     // 0 while not healthy
        long unhealthySince;   // 0 while healthy
        long restartAt;        // when a part without a process is started again
        int failures;          // restarts since it last stayed healthy, for the backoff
    }

    private final Pipeline pipeline;
    private final PrintStream log;
    private final Runnable onChange;
    private final Map<String, Watch> watches = new HashMap<>();
    private final Thread thread;
    private volatile boolean stopped;

    private Supervisor(Pipeline pipeline, PrintStream log, Runnable onChange) {
        this.pipeline = pipeline;
        this.log = log;
        this.onChange = onChange;
        long now = System.nanoTime();
        for (String name : pipeline.parts().keySet()) {
            Watch watch = new Watch();
            watch.startedAt = now;
            watch.healthySinceStart = true; // every part was healthy when the pipeline finished starting
            watches.put(name, watch);
        }
        this.thread = new Thread(this::run, "supervisor");
        this.thread.setDaemon(true);
    }

    static Supervisor start(Pipeline pipeline, PrintStream log, Runnable onChange) {
        Supervisor supervisor = new Supervisor(pipeline, log, onChange);
        supervisor.thread.start();
        return supervisor;
    }

    private void run() {
        while (!stopped) {
            try {
                lookOnce();
                Thread.sleep(POLL.toMillis()); // the pace of the looks, not a wait for a condition
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                say("supervisor: " + e); // one failed look must not end supervision
            }
        }
    }

    /** One look at every part: restarts what is due. */
    void lookOnce() {
        List<Pipeline.Part> parts = List.copyOf(pipeline.parts().values());
        Map<Pipeline.Part, CompletableFuture<Boolean>> health = new HashMap<>();
        for (Pipeline.Part part : parts) { // all health checks at once: a hung part does not delay the others
            ManagedProcess process = part.process();
            if (part.healthUrl() != null && process != null && process.isAlive()) {
                health.put(part, healthy(part.healthUrl()));
            }
        }
        long now = System.nanoTime();
        for (Pipeline.Part part : parts) {
            Watch watch = watches.computeIfAbsent(part.name(), k -> new Watch());
            ManagedProcess process = part.process();
            if (process == null) {
                if (now >= watch.restartAt) {
                    restart(part, watch, now);
                }
            } else if (!process.isAlive()) {
                failed(part, watch, now, "exited with status " + process.exitValue() + " (log: " + process.log() + ")");
            } else if (health.containsKey(part)) {
                judgeHealth(part, watch, process, health.get(part).join(), now);
            }
        }
    }

    private void judgeHealth(Pipeline.Part part, Watch watch, ManagedProcess process, boolean ok, long now) {
        if (ok) {
            watch.unhealthySince = 0;
            if (!watch.healthySinceStart) {
                watch.healthySinceStart = true;
                say(part.name() + " is healthy again (pid " + process.pid() + ")");
            }
            if (watch.healthySince == 0) {
                watch.healthySince = now;
            } else if (now - watch.healthySince >= STAYS_HEALTHY.toNanos()) {
                watch.failures = 0;
            }
            return;
        }
        watch.healthySince = 0;
        if (!watch.healthySinceStart && now - watch.startedAt < Pipeline.HEALTHY_WITHIN.toNanos()) {
            return; // still starting: it has as long as at the first start
        }
        if (watch.unhealthySince == 0) {
            watch.unhealthySince = now;
        } else if (now - watch.unhealthySince >= UNHEALTHY_FOR.toNanos()) {
            ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
            failed(part, watch, now, "failed its health check (" + part.healthUrl() + ") for " + UNHEALTHY_FOR.toSeconds()
                    + " s; killed it");
        }
    }

    private void failed(Pipeline.Part part, Watch watch, long now, String what) {
        part.clear();
        Duration backoff = backoff(watch.failures++);
        watch.restartAt = now + backoff.toNanos();
        watch.healthySince = 0;
        watch.unhealthySince = 0;
        say(part.name() + " " + what + "; restarting it in " + backoff.toSeconds() + " s");
        onChange.run();
    }

    /** 1 s, 2 s, 4 s, 8 s, 16 s, then 30 s for every further failure in a row. */
    static Duration backoff(int failuresBefore) {
        long seconds = 1L << Math.min(failuresBefore, 5);
        return seconds > MAX_BACKOFF.toSeconds() ? MAX_BACKOFF : Duration.ofSeconds(seconds);
    }

    private void restart(Pipeline.Part part, Watch watch, long now) {
        synchronized (pipeline) { // not while the pipeline is being stopped
            if (stopped || pipeline.isClosed()) {
                return;
            }
            try {
                part.restart();
            } catch (RuntimeException e) {
                watch.restartAt = now + backoff(watch.failures++).toNanos();
                say(part.name() + " could not be started again: " + e.getMessage());
                return;
            }
        }
        watch.startedAt = now;
        watch.healthySinceStart = part.healthUrl() == null;
        say(part.name() + " restarted (pid " + part.process().pid() + ", restart " + part.restarts() + ")");
        onChange.run();
    }

    private static CompletableFuture<Boolean> healthy(String url) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding())
                .thenApply(r -> r.statusCode() == 200)
                .exceptionally(e -> false);
    }

    private void say(String message) {
        log.printf("%s %s%n", LocalTime.now().format(CLOCK), message);
    }

    /** Stops supervising and waits for a look in progress to end: nothing is restarted after this returns. */
    void stop() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
