package io.emojivoto.localrun;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real process started by a test: its output goes to a log file, it is awaited by a health
 * check with a deadline, and it is stopped by its PID (gracefully first, then forcibly).
 */
public class ManagedProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final Path log;

    private ManagedProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public static ManagedProcess start(String name, List<String> command, Map<String, String> env) {
        return start(name, command, env, ProjectPaths.logDir().resolve(name + ".log"), true);
    }

    /**
     * @param log        where its output goes
     * @param stopOnExit stop it when this JVM exits (false for a pipeline left running with --detach)
     */
    public static ManagedProcess start(String name, List<String> command, Map<String, String> env, Path log,
                                       boolean stopOnExit) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())); // a restart's output follows the crash's
        builder.environment().putAll(env);
        try {
            ManagedProcess started = new ManagedProcess(name, builder.start(), log);
            if (stopOnExit) {
                Runtime.getRuntime().addShutdownHook(new Thread(started::close));
            }
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    /**
     * {@code command} run in a session of its own (through util-linux's {@code setsid}, where there is
     * one): Ctrl-C in the terminal then reaches only the launcher, which stops the parts in order,
     * rather than every part at once. setsid replaces itself with the command, so the PID is the
     * command's.
     */
    public static List<String> inOwnSession(List<String> command) {
        for (String setsid : new String[] {"/usr/bin/setsid", "/bin/setsid"}) {
            if (Files.isExecutable(Path.of(setsid))) {
                List<String> wrapped = new java.util.ArrayList<>();
                wrapped.add(setsid);
                wrapped.addAll(command);
                return wrapped;
            }
        }
        return command;
    }

    /** A Java program: {@code java [jvmArgs] -jar jar}, with the running JVM's own java. */
    public static ManagedProcess startJar(String name, Path jar, List<String> jvmArgs, Map<String, String> env) {
        return start(name, javaCommand(jar, jvmArgs), env);
    }

    public static List<String> javaCommand(Path jar, List<String> jvmArgs) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>();
        command.add(java);
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(jar.toString());
        return command;
    }

    /** Whether {@code url} answers 200 right now (for parts started by another process). */
    public static boolean isHttpOk(String url) {
        return httpOk(url);
    }

    /** Waits until {@code url} answers 200, failing early (with the log's end) if the process dies. */
    public ManagedProcess awaitHttpOk(String url, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!httpOk(url)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue()
                        + "; end of its log:\n" + logTail(40));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not healthy after " + timeout + "; end of its log:\n" + logTail(40));
            }
            try {
                Thread.sleep(200); // a poll interval, not a wait for a condition: the loop checks it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
        }
        return this;
    }

    private static boolean httpOk(String url) {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit status of a process that has exited (128 + the signal's number for one killed by a signal). */
    public int exitValue() {
        return process.exitValue();
    }

    public Path log() {
        return log;
    }

    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM to the PID, then SIGKILL if it has not exited within 15 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
