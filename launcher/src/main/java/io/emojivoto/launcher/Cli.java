package io.emojivoto.launcher;

import io.emojivoto.ingress.NginxIngress;
import io.emojivoto.localrun.ManagedProcess;
import io.emojivoto.localrun.StoredSpan;
import io.emojivoto.localrun.TraceQueryApi;
import io.emojivoto.spanvocabulary.SpanVocabulary;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/** ./emojivoto up | down | status | check — see the README. Exit status: 0 fine, 1 failed, 2 a bad command line. */
public final class Cli {

    static final String USAGE = """
            usage: ./emojivoto up [--detach] [--backend zipkin|jaeger] [--sample-rate 0.5] [--bot-rate 1]
                                  [--failure-rate 1.0] [--artificial-delay 250ms] [--port-offset N]
                                  [--propagation b3|w3c|mixed] [--sampling head|tail] [--class] [--listen ADDRESS]
                   ./emojivoto status | down [--port-offset N]
                   ./emojivoto check [--requests 1000] [--verbose] [--port-offset N]
                   ./emojivoto fault list [--reveal] | clear [PART]
                                     | set PART NAME VALUE [--blind] [--emoji E|random]
                                     | set-one-of PART,PART NAME VALUE [--blind] [--emoji E|random]
                   ./emojivoto reset      every switch back to its start value, no vote counted, and an empty trace store
                   ./emojivoto trace TRACE_ID | --last [--json]   a trace as a waterfall in the terminal
                   ./emojivoto logs TRACE_ID                        every part's log lines of that trace, in time order
                   ./emojivoto bundle FILE.tar.gz   everything `up` needs, to run offline on another machine
                   (status, check, fault, reset, trace, logs and down take --port-offset N: the pipeline started with it)""";

    private final PrintStream out;
    private final Path base; // the run folder of offset 0; other offsets' are inside it

    /**
     * @param out  where the commands write what they show
     * @param base the run folder ({@code .run}, where ./emojivoto puts it)
     */
    public Cli(PrintStream out, Path base) {
        this.out = out;
        this.base = base.toAbsolutePath();
    }

    public static void main(String[] args) {
        try {
            System.exit(new Cli(System.out, Path.of(System.getProperty("emojivoto.run.dir", ".run"))).run(args));
        } catch (UsageException e) {
            System.err.println("emojivoto: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        } catch (LauncherException | IllegalArgumentException e) {
            System.err.println("emojivoto: " + e.getMessage());
            System.exit(1);
        } catch (Exception e) {
            System.err.println("emojivoto: " + e);
            System.exit(1);
        }
    }

    /** Runs one command; returns its exit status. */
    public int run(String... argv) throws Exception {
        List<String> a = new ArrayList<>(List.of(argv));
        String command = a.isEmpty() ? "help" : a.remove(0);
        return switch (command) {
            case "up" -> up(Args.parse("up", a, Set.of("--detach", "--supervisor", "--class"), Set.of("--sample-rate", "--bot-rate",
                    "--failure-rate", "--artificial-delay", "--backend", "--port-offset", "--listen", "--propagation", "--sampling"), 0));
            case "down" -> down(RunDirs.find(base, Args.parse("down", a, Set.of(), Set.of("--port-offset"), 0)));
            case "status" -> status(RunDirs.find(base, Args.parse("status", a, Set.of(), Set.of("--port-offset"), 0)));
            case "check" -> {
                Args args = Args.parse("check", a, Set.of("--verbose"), Set.of("--requests", "--port-offset"), 0);
                yield check(RunDirs.find(base, args), args);
            }
            case "fault" -> {
                Args args = Args.parse("fault", a, Set.of("--blind", "--reveal"), Set.of("--port-offset", "--emoji"), 4);
                Faults.checkOptions(args.positional(), Faults.Options.of(args));
                Path runDir = RunDirs.find(base, args);
                RunState.State state = RunState.read(runDir).orElseThrow(() -> new LauncherException(
                        "no pipeline is recorded in " + runDir + ": start one with ./emojivoto up --detach"));
                yield new Faults(state).run(args.positional(), Faults.Options.of(args), out);
            }
            case "reset" -> reset(RunDirs.find(base, Args.parse("reset", a, Set.of(), Set.of("--port-offset"), 0)));
            case "logs" -> {
                Args args = Args.parse("logs", a, Set.of(), Set.of("--port-offset"), 1);
                yield logs(RunDirs.find(base, args), args);
            }
            case "trace" -> {
                Args args = Args.parse("trace", a, Set.of("--last", "--json"), Set.of("--port-offset"), 1);
                yield trace(RunDirs.find(base, args), args);
            }
            case "bundle" -> {
                Args args = Args.parse("bundle", a, Set.of(), Set.of(), 1);
                if (args.positional().size() != 1) {
                    throw new UsageException("usage: ./emojivoto bundle FILE.tar.gz");
                }
                yield new Bundle(io.emojivoto.localrun.ProjectPaths.root(), out).write(
                        Path.of(System.getProperty("emojivoto.caller.dir", ".")).resolve(args.positional().get(0)));
            }
            case "help", "--help", "-h" -> {
                out.println(USAGE);
                yield 0;
            }
            default -> throw new UsageException("no command '" + command + "'");
        };
    }

    private int up(Args args) throws Exception {
        int offset = args.integer("--port-offset", "0");
        PortPlan ports;
        try {
            ports = PortPlan.local(offset);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Path runDir = RunDirs.of(base, offset);
        boolean classMode = args.flag("--class");
        String sampling = args.value("--sampling", "head");
        PipelineOptions options = new PipelineOptions(args.number("--sample-rate", classMode || sampling.equals("tail") ? "1" : "0.5"),
                args.number("--bot-rate", "1"), args.number("--failure-rate", "1.0"), args.value("--artificial-delay", null),
                BackendChoice.parse(args.value("--backend", "zipkin")), args.value("--propagation", "b3"), args.value("--listen", null), runDir,
                args.flag("--detach"), sampling);
        try { // before anything starts: an nginx without Lua is a bad setting (NGINX_BIN), not a failed start
            NginxIngress.checkInstalled(NginxIngress.Nginx.find(System.getenv()));
        } catch (IllegalStateException e) {
            throw new UsageException(e.getMessage());
        }
        if (options.backend() == BackendChoice.JAEGER) {
            JaegerUi.checkGiven(System.getenv("JAEGER_UI_ASSETS")); // a folder that is not the UI: exit 2, nothing started
            JaegerProcesses.PrometheusBinary.resolve(); // no Prometheus: say how to get one before anything starts
        }
        Optional<RunState.State> running = RunState.read(runDir)
                .filter(s -> RunState.alive(s.supervisor()).isPresent() || s.parts().values().stream().anyMatch(e -> RunState.alive(e).isPresent()));
        if (running.isPresent()) {
            throw new LauncherException("a pipeline is already running" + (offset == 0 ? "" : " at --port-offset " + offset)
                    + " (see ./emojivoto status; stop it with ./emojivoto down" + (offset == 0 ? "" : " --port-offset " + offset) + ")");
        }
        if (options.detach()) {
            return Detached.start(args.rawWithout("--detach"), runDir, out);
        }
        return runSupervised(ports, offset, options, args.flag("--supervisor"));
    }

    /**
     * Starts the pipeline and supervises it until this JVM is stopped (Ctrl-C, or `down`'s SIGTERM
     * to a detached supervisor), then stops every part in order and forgets the run.
     */
    private int runSupervised(PortPlan ports, int offset, PipelineOptions options, boolean detachedChild)
            throws InterruptedException {
        out.println("starting the emojivoto trace pipeline (logs in " + options.runDir().resolve("logs") + ")");
        if (options.listen() != null) {
            out.printf("WARNING: --listen %s: the ingress and the trace UI also answer on %s, to anyone who can reach this"
                    + " machine there; every admin, metrics and fault endpoint stays on 127.0.0.1.%n", options.listen(), options.listen());
        }
        if (options.sampleRate() == 1) {
            out.println("every request is traced (sample rate 1); in the trace UI, the bot's requests are tagged emojivoto.client=vote-bot,"
                    + " a browser's emojivoto.client=browser, and each request's sender client.address");
        }
        Pipeline pipeline = Pipeline.start(ports, options, out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("\nstopping…");
            pipeline.close();
            RunState.delete(options.runDir());
            out.println("stopped.");
            stopped.countDown();
        }, "stop-pipeline"));
        printUrls(pipeline);
        pipeline.record(offset);
        pipeline.supervise(out, () -> pipeline.record(offset));
        out.println(detachedChild ? "running in the background, supervised (pid " + ProcessHandle.current().pid()
                + "): ./emojivoto status, ./emojivoto check, ./emojivoto down" + (offset == 0 ? "" : " --port-offset " + offset)
                : "supervising: a part that exits or stays unhealthy is restarted. Ctrl-C stops everything.");
        stopped.await(); // until the shutdown hook has stopped every part
        return 0;
    }

    private void printUrls(Pipeline pipeline) {
        out.println();
        out.printf("%-26s %s%n", "the app (ingress)", pipeline.publicIngressUrl() + "/");
        out.printf("%-26s %s%n", "traces (" + pipeline.traceBackend().name() + " UI)", pipeline.traceUiUrl());
        out.println();
        out.printf("%-20s %-8s %s%n", "part", "pid", "listens on");
        for (Pipeline.Part part : pipeline.parts().values()) {
            out.printf("%-20s %-8s %s%n", part.name(), part.process().pid(), String.join(", ", listens(pipeline.ports(), part.name())));
        }
        out.println();
    }

    /** The ports of the plan that belong to a part, as "what 127.0.0.1:port". */
    static List<String> listens(PortPlan ports, String part) {
        String prefix = part.endsWith("-proxy") ? part.substring(0, part.length() - "-proxy".length()) : part;
        List<String> listens = new ArrayList<>();
        ports.ports().forEach((key, port) -> {
            boolean proxyPort = key.contains(".proxy-") || !key.contains(".");
            boolean mine = switch (part) {
                case "ingress" -> key.startsWith("ingress");
                case "zipkin" -> key.equals("zipkin");
                case "collector" -> key.startsWith("collector.") || key.equals("zipkin");
                case "jaeger" -> key.startsWith("jaeger.");
                case "prometheus" -> key.equals("prometheus");
                default -> (key.equals(prefix) || key.startsWith(prefix + ".")) && (part.endsWith("-proxy") == proxyPort);
            };
            if (mine) {
                String what = key.equals(prefix) ? (part.endsWith("-proxy") ? "inbound" : "http")
                        : key.equals("ingress-status") ? "status" : key.substring(key.lastIndexOf('.') + 1).replace("proxy-", "");
                listens.add(what + " 127.0.0.1:" + port);
            }
        });
        return listens.isEmpty() ? List.of("(votes through the ingress)") : listens;
    }

    private int down(Path runDir) {
        Optional<RunState.State> recorded = RunState.read(runDir);
        if (recorded.isEmpty()) {
            out.println("no pipeline is recorded in " + runDir);
            return 0;
        }
        RunState.State state = recorded.get();
        List<RunState.Entry> entries = new ArrayList<>(state.parts().values());
        Collections.reverse(entries);
        List<String> wereAlive = entries.stream().filter(e -> RunState.alive(e).isPresent()).map(RunState.Entry::name).toList();
        RunState.alive(state.supervisor()).ifPresent(supervisor -> {
            out.println("  stopping the supervisor (pid " + supervisor.pid() + "), which stops every part in order…");
            RunState.stop("supervisor", supervisor);
        });
        for (RunState.Entry entry : entries) { // and what the supervisor did not stop (it was killed, say)
            RunState.alive(entry).ifPresent(handle -> RunState.stop(entry.name(), handle));
            out.printf("  %s %s%n", wereAlive.contains(entry.name()) ? "stopped" : "gone   ", entry.name());
        }
        RunState.delete(runDir);
        return 0;
    }

    private int status(Path runDir) {
        Optional<RunState.State> recorded = RunState.read(runDir);
        if (recorded.isEmpty()) {
            out.println("no pipeline is recorded in " + runDir + " (./emojivoto up --detach starts one)");
            return 3;
        }
        RunState.State state = recorded.get();
        boolean supervised = RunState.alive(state.supervisor()).isPresent();
        out.printf("supervisor: %s; backend: %s, UI %s%s%n", supervised ? "running (pid " + state.supervisor() + ")"
                : "not running: nothing restarts a part that dies (./emojivoto down, then up)", state.backend().label(), state.traceUiUrl(),
                state.traceUiServes().isEmpty() ? "" : " (" + state.traceUiServes() + ")");
        boolean allHealthy = supervised;
        out.printf("%-18s %-8s %-10s %-9s %s%n", "part", "pid", "state", "restarts", "url");
        for (RunState.Entry e : state.parts().values()) {
            boolean alive = RunState.alive(e).isPresent();
            boolean healthy = alive && (e.healthUrl().isEmpty() || ManagedProcess.isHttpOk(e.healthUrl()));
            allHealthy &= healthy;
            boolean starting = System.currentTimeMillis() - e.startedAt() < Pipeline.HEALTHY_WITHIN.toMillis() && e.restarts() > 0;
            String condition = e.pid() == 0 ? "restarting" : !alive ? "stopped" : healthy ? "healthy" : starting ? "starting" : "unhealthy";
            out.printf("%-18s %-8s %-10s %-9d %s%n", e.name(), e.pid() == 0 ? "-" : Long.toString(e.pid()), condition, e.restarts(), e.url());
        }
        // A switch set blind is named, never its part (that is the learner's to find), and neither is any
        // other part's switch of that name, whose row would tell by elimination.
        List<Faults.Setting> settings = new Faults(state).all();
        Set<String> hidden = new java.util.TreeSet<>();
        settings.stream().filter(Faults.Setting::hidden).forEach(s -> hidden.add(s.name()));
        hidden.forEach(name -> out.printf("switch on:  %s, hidden: set blind on one part (./emojivoto fault list --reveal;"
                + " ./emojivoto fault clear)%n", name));
        for (Faults.Setting on : settings) {
            if (on.changed() && !hidden.contains(on.name())) {
                out.printf("switch on:  %s %s = %s (start %s; ./emojivoto fault clear %s)%n", on.part(), on.name(), on.shown(),
                        on.start(), on.part());
            }
        }
        return allHealthy ? 0 : 1;
    }

    /**
     * Between two labs: every switch back to its start value, voting-svc's poll emptied, and the trace backend restarted, so that
     * its store starts empty (Zipkin and Jaeger keep traces in memory only). The supervisor restarts
     * it, as after a crash, and this waits until it answers again.
     */
    private int reset(Path runDir) throws Exception {
        RunState.State state = RunState.read(runDir).orElseThrow(() -> new LauncherException(
                "no pipeline is recorded in " + runDir + ": start one with ./emojivoto up --detach"));
        if (RunState.alive(state.supervisor()).isEmpty()) {
            throw new LauncherException("the pipeline's supervisor is not running, so the trace store cannot be restarted:"
                    + " ./emojivoto down, then up");
        }
        Faults faults = new Faults(state);
        int status = faults.run(List.of("clear"), out);
        status = Math.max(status, faults.emptyVotes(out));
        for (String store : List.of("zipkin", "jaeger")) {
            RunState.Entry entry = state.parts().get(store);
            if (entry == null) {
                continue;
            }
            out.printf("restarting %s, so that its store starts empty…%n", store);
            RunState.alive(entry).ifPresent(handle -> RunState.stop(store, handle));
            long deadline = System.nanoTime() + Pipeline.HEALTHY_WITHIN.toNanos();
            while (true) {
                RunState.Entry now = RunState.read(runDir).map(s -> s.parts().get(store)).orElse(entry);
                if (now.pid() != 0 && now.pid() != entry.pid() && ManagedProcess.isHttpOk(now.healthUrl())) {
                    out.printf("%s is back (pid %d), with no trace stored%n", store, now.pid());
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new LauncherException(store + " did not come back within " + Pipeline.HEALTHY_WITHIN.toSeconds()
                            + " s: ./emojivoto status");
                }
                Thread.sleep(250); // the pace of the looks, not a wait for a condition
            }
        }
        return status;
    }

    private int check(Path runDir, Args args) throws Exception {
        int requests = args.integer("--requests", "1000");
        if (requests < 1 || requests > 100_000) {
            throw new UsageException("--requests must be from 1 to 100000, got " + requests);
        }
        RunState.State state = RunState.read(runDir).orElseThrow(() -> new LauncherException(
                "no pipeline is recorded in " + runDir + ": start one with ./emojivoto up --detach"));
        TraceCheck check = new TraceCheck(state.ingressUrl(), state.ingressStatusUrl() + "/status",
                BackendProcesses.api(state.backend(), state.ports(), state.listen()), Duration.ofSeconds(60));
        if (state.sampling().equals("tail")) {
            check = check.tailSampled(TraceCheck.TAIL_DECIDED_WITHIN);
        }
        out.printf("sending %d requests through the ingress…%n", requests);
        TraceCheck.Report report = check.run(requests, out);
        report.print(out, args.flag("--verbose"));
        return report.ok() ? 0 : 1;
    }

    /**
     * `trace TRACE_ID | --last`: one trace from the running pipeline's backend, as a waterfall
     * ({@link TerminalTrace}) followed by what `check` would say of it, or with --json its spans.
     */
    private int trace(Path runDir, Args args) throws Exception {
        boolean last = args.flag("--last");
        if (last == !args.positional().isEmpty()) {
            throw new UsageException("trace takes a trace id, or --last (the newest sampled vote)");
        }
        String traceId = last ? null : traceId(args.positional().get(0));
        RunState.State state = RunState.read(runDir).orElseThrow(() -> new LauncherException(
                "no pipeline is recorded in " + runDir + ": start one with ./emojivoto up --detach"));
        TraceQueryApi backend = BackendProcesses.api(state.backend(), state.ports(), state.listen());
        List<StoredSpan> spans = last ? newestVote(backend) : backend.trace(traceId);
        if (spans.isEmpty()) {
            throw new LauncherException(last ? "no sampled vote in " + backend.name() + " within the last hour: vote, then try again"
                    : "no such trace in " + backend.name() + ": " + traceId);
        }
        if (args.flag("--json")) {
            out.println(JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(spans));
            return 0;
        }
        TerminalTrace.print(spans, backend.name(), out);
        out.println();
        StoredSpan root = spans.stream().filter(StoredSpan::isRoot).findFirst().orElse(null);
        String path = root == null ? null : root.tag(SpanVocabulary.URL_PATH);
        String status = root == null ? null : root.tag(SpanVocabulary.HTTP_RESPONSE_STATUS_CODE);
        if (path == null || status == null || !status.matches("\\d{3}")) {
            out.println("check: no ingress root span with a path and a status, so not judged against the expected tree");
            return 0;
        }
        List<ExpectedTrace.Problem> problems = ExpectedTrace.judge(spans, path, Integer.parseInt(status));
        if (problems.isEmpty()) {
            out.println("check: complete, every hop of the expected tree is there");
        }
        problems.forEach(problem -> out.println("check: " + TerminalTrace.ERROR_MARK + " " + problem));
        return 0;
    }

    /** A trace id as a learner pastes it: 16 or 32 hex digits, any case. */
    private static String traceId(String given) {
        String id = given.toLowerCase(Locale.ROOT);
        if (!id.matches("[0-9a-f]{16}|[0-9a-f]{32}")) {
            throw new UsageException("'" + given + "' is not a trace id (16 or 32 hex digits, as X-B3-TraceId shows)");
        }
        return id;
    }

    /** `logs TRACE_ID`: every part's log lines of one trace, merged in time order ({@link TraceLogs}). */
    private int logs(Path runDir, Args args) {
        if (args.positional().isEmpty()) {
            throw new UsageException("logs takes a trace id (X-B3-TraceId, or the id a trace UI shows)");
        }
        String traceId = traceId(args.positional().get(0));
        List<Path> files = TraceLogs.files(runDir);
        List<TraceLogs.Line> lines = TraceLogs.of(traceId, files);
        if (lines.isEmpty()) {
            throw new LauncherException("no log line names trace " + traceId + ": looked in " + files.size() + " files ("
                    + String.join(", ", files.stream().map(f -> runDir.relativize(f).toString()).toList()) + ")");
        }
        lines.forEach(line -> out.println(TraceLogs.format(line)));
        return 0;
    }

    /** The newest trace of a vote (its root the ingress's span of /api/vote): the last minute first, then the last hour. */
    private static List<StoredSpan> newestVote(TraceQueryApi backend) {
        for (Duration within : List.of(Duration.ofMinutes(1), Duration.ofHours(1))) {
            Optional<List<StoredSpan>> newest = backend.recentTraces("ingress", within, 200).stream()
                    .filter(trace -> trace.stream().anyMatch(s -> s.isRoot() && "/api/vote".equals(s.tag(SpanVocabulary.URL_PATH))))
                    .max(Comparator.comparingLong(trace -> trace.stream().mapToLong(StoredSpan::timestamp).min().orElse(0)));
            if (newest.isPresent()) {
                return newest.get();
            }
        }
        return List.of();
    }

    /** The run folder of each port offset: {@code .run} for 0, {@code .run/offset-N} for another. */
    static final class RunDirs {

        static Path of(Path base, int offset) {
            return offset == 0 ? base : base.resolve("offset-" + offset);
        }

        /** The run folder a command means: its --port-offset's, or the only pipeline recorded. */
        static Path find(Path base, Args args) {
            if (args.flag("--port-offset")) {
                return of(base, args.integer("--port-offset", "0"));
            }
            List<Path> recorded = new ArrayList<>();
            if (Files.exists(RunState.file(base))) {
                recorded.add(base);
            }
            try (Stream<Path> dirs = Files.isDirectory(base) ? Files.list(base) : Stream.empty()) {
                dirs.filter(d -> d.getFileName().toString().startsWith("offset-") && Files.exists(RunState.file(d)))
                        .sorted().forEach(recorded::add);
            } catch (IOException e) {
                throw new LauncherException("cannot read " + base + ": " + e.getMessage());
            }
            if (recorded.size() > 1) {
                throw new UsageException("several pipelines are recorded; say which with --port-offset: "
                        + recorded.stream().map(d -> d.equals(base) ? "0" : d.getFileName().toString().substring("offset-".length()))
                        .toList());
            }
            return recorded.isEmpty() ? base : recorded.get(0);
        }
    }

    /** `up --detach`: a supervisor in a process of its own, followed until the pipeline is up. */
    static final class Detached {

        static int start(List<String> args, Path runDir, PrintStream out) throws Exception {
            Files.createDirectories(runDir.resolve("logs"));
            Path log = runDir.resolve("logs").resolve("launcher.log");
            List<String> command = new ArrayList<>(ManagedProcess.inOwnSession(ownCommandLine()));
            command.add("up");
            command.add("--supervisor");
            command.addAll(args);
            Process supervisor = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            long shown = 0;
            while (true) {
                shown = follow(log, shown, out);
                Optional<RunState.State> state = RunState.read(runDir);
                if (state.isPresent() && state.get().running() && state.get().supervisor() == supervisor.pid()) {
                    Thread.sleep(200); // the supervisor's last lines, written right after the state
                    follow(log, shown, out);
                    return 0;
                }
                if (!supervisor.isAlive()) {
                    follow(log, shown, out);
                    out.println("emojivoto: the pipeline did not start (log: " + log + ")");
                    return 1;
                }
                Thread.sleep(200); // the pace of following the log, not a wait for a condition
            }
        }

        /** This launcher's own command line up to its jar: java, its flags, -jar, the jar. */
        private static List<String> ownCommandLine() {
            ProcessHandle.Info info = ProcessHandle.current().info();
            List<String> arguments = List.of(info.arguments().orElseThrow(
                    () -> new LauncherException("cannot see this launcher's command line to start a detached supervisor")));
            int jar = arguments.indexOf("-jar");
            if (jar < 0 || jar + 1 >= arguments.size()) {
                throw new LauncherException("--detach needs the launcher to run as java -jar (./emojivoto does)");
            }
            List<String> command = new ArrayList<>();
            command.add(info.command().orElseThrow());
            command.addAll(arguments.subList(0, jar + 2));
            return command;
        }

        /** Prints what the log has gained since {@code from}; returns where it now ends. */
        private static long follow(Path log, long from, PrintStream out) throws IOException {
            try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
                long length = file.length();
                if (length <= from) {
                    return from;
                }
                byte[] bytes = new byte[(int) (length - from)];
                file.seek(from);
                file.readFully(bytes);
                out.print(new String(bytes, StandardCharsets.UTF_8));
                out.flush();
                return length;
            }
        }
    }
}
