package io.emojivoto.launcher;

import io.emojivoto.testkit.ManagedProcess;
import io.emojivoto.testkit.ZipkinApi;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** ./emojivoto up | down | status | check — see the README. */
public final class Cli {

    private static final PrintStream out = System.out;

    private Cli() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (LauncherException | IllegalArgumentException e) {
            System.err.println("emojivoto: " + e.getMessage());
            System.exit(1);
        } catch (Exception e) {
            System.err.println("emojivoto: " + e);
            System.exit(1);
        }
    }

    static int run(String[] args) throws Exception {
        List<String> a = new ArrayList<>(Arrays.asList(args));
        String command = a.isEmpty() ? "help" : a.remove(0);
        Path runDir = Path.of(System.getProperty("emojivoto.run.dir", ".run")).toAbsolutePath();
        return switch (command) {
            case "up" -> up(a, runDir);
            case "down" -> down(runDir);
            case "status" -> status(runDir);
            case "check" -> check(a);
            default -> {
                out.println("""
                        usage: ./emojivoto up [--detach] [--sample-rate 0.5] [--bot-rate 1] [--failure-rate 1.0] [--artificial-delay 250ms]
                               ./emojivoto down | status
                               ./emojivoto check [--requests 1000]""");
                yield command.equals("help") ? 0 : 2;
            }
        };
    }

    private static String option(List<String> args, String name, String fallback) {
        int i = args.indexOf(name);
        if (i < 0) {
            return fallback;
        }
        if (i + 1 >= args.size()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args.get(i + 1);
    }

    private static double number(List<String> args, String name, String fallback) {
        String value = option(args, name, fallback);
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + value + "'");
        }
    }

    private static int up(List<String> args, Path runDir) throws InterruptedException {
        boolean detach = args.contains("--detach");
        if (RunState.read(runDir).values().stream().anyMatch(e -> RunState.alive(e).isPresent())) {
            throw new LauncherException("a pipeline is already running (see ./emojivoto status; stop it with ./emojivoto down)");
        }
        PipelineOptions options = new PipelineOptions(number(args, "--sample-rate", "0.5"), number(args, "--bot-rate", "1"),
                number(args, "--failure-rate", "1.0"), option(args, "--artificial-delay", null), runDir, detach);
        PortPlan ports = PortPlan.local();
        out.println("starting the emojivoto trace pipeline (logs in " + runDir.resolve("logs") + ")");
        Pipeline pipeline = Pipeline.start(ports, options, out);
        printUrls(pipeline);
        if (detach) {
            RunState.write(runDir, pipeline);
            out.println("running in the background: ./emojivoto status, ./emojivoto check, ./emojivoto down");
            return 0;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            out.println("\nstopping…");
            pipeline.close();
            stopped.countDown();
            out.println("stopped.");
        }));
        out.println("press Ctrl-C to stop");
        while (true) {
            if (stopping.get()) { // Ctrl-C or SIGTERM: the hook stops every part, in order
                stopped.await();
                return 0;
            }
            Pipeline.Part dead = pipeline.firstDead();
            if (dead != null) {
                System.err.printf("%n%s exited; the end of its log (%s):%n%s%n", dead.name(), dead.process().log(),
                        dead.process().logTail(20));
                System.err.println("stopping everything else.");
                return 1; // the shutdown hook stops the rest
            }
            Thread.sleep(1000);
        }
    }

    private static void printUrls(Pipeline pipeline) {
        out.println();
        out.printf("%-20s %s%n", "the app (ingress)", pipeline.ingressUrl() + "/");
        out.printf("%-20s %s%n", "traces (Zipkin UI)", pipeline.zipkinUrl() + "/zipkin/");
        out.println();
        out.printf("%-26s %-8s %s%n", "part", "pid", "listens on");
        for (Map.Entry<String, Integer> port : pipeline.ports().byName().entrySet()) {
            out.printf("%-26s %-8s 127.0.0.1:%d%n", port.getKey(), pidOf(pipeline, port.getKey()), port.getValue());
        }
        if (pipeline.parts().containsKey("vote-bot")) {
            out.printf("%-26s %-8s (votes through the ingress)%n", "vote-bot", pipeline.parts().get("vote-bot").process().pid());
        }
        out.println();
    }

    private static String pidOf(Pipeline pipeline, String portName) {
        return pipeline.parts().values().stream()
                .filter(p -> portName.startsWith(p.name() + " ") || portName.equals(p.name())
                        || (portName.startsWith(p.name()) && !portName.startsWith(p.name() + "-")))
                .map(p -> Long.toString(p.process().pid())).findFirst().orElse("");
    }

    private static int down(Path runDir) {
        var entries = new ArrayList<>(RunState.read(runDir).values());
        if (entries.isEmpty()) {
            out.println("no detached pipeline is recorded in " + runDir);
            return 0;
        }
        java.util.Collections.reverse(entries);
        for (RunState.Entry entry : entries) {
            boolean wasAlive = RunState.alive(entry).isPresent();
            RunState.stop(entry);
            out.printf("  %s %-18s%n", wasAlive ? "stopped" : "gone   ", entry.name());
        }
        RunState.delete(runDir);
        return 0;
    }

    private static int status(Path runDir) {
        var entries = RunState.read(runDir);
        if (entries.isEmpty()) {
            out.println("no detached pipeline is recorded in " + runDir + " (./emojivoto up --detach starts one)");
            return 3;
        }
        boolean allHealthy = true;
        out.printf("%-18s %-8s %-10s %s%n", "part", "pid", "state", "url");
        for (RunState.Entry e : entries.values()) {
            boolean alive = RunState.alive(e).isPresent();
            boolean healthy = alive && (e.healthUrl().isEmpty() || ManagedProcess.isHttpOk(e.healthUrl()));
            allHealthy &= healthy;
            out.printf("%-18s %-8d %-10s %s%n", e.name(), e.pid(), !alive ? "stopped" : healthy ? "healthy" : "unhealthy", e.url());
        }
        return allHealthy ? 0 : 1;
    }

    private static int check(List<String> args) throws Exception {
        int requests = (int) number(args, "--requests", "1000");
        PortPlan ports = PortPlan.local();
        TraceCheck check = new TraceCheck("http://127.0.0.1:" + ports.ingress(), "http://127.0.0.1:" + ports.ingressStatus() + "/status",
                new ZipkinApi("http://127.0.0.1:" + ports.zipkin()), Duration.ofSeconds(60));
        out.printf("sending %d requests through the ingress…%n", requests);
        TraceCheck.Report report = check.run(requests, out);
        report.print(out);
        return report.ok() ? 0 : 1;
    }
}
