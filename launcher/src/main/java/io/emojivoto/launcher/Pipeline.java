package io.emojivoto.launcher;

import io.emojivoto.ingress.NginxIngress;
import io.emojivoto.localrun.ManagedProcess;
import io.emojivoto.localrun.Jdk;
import io.emojivoto.localrun.ProjectPaths;
import io.emojivoto.localrun.StartCache;
import io.emojivoto.localrun.TraceQueryApi;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The whole local pipeline as real processes on 127.0.0.1: the trace backend, emoji-svc, voting-svc
 * and web-svc each behind its own proxy, the nginx ingress, and the vote-bot. Started in waves (what
 * does not depend on anything first), each part awaited by its health check with progress shown.
 * Each part keeps how it was started, so that the {@link Supervisor} can start it again the same way.
 */
public final class Pipeline implements AutoCloseable {

    private static final List<String> SERVICE_JVM = List.of("-Xms32m", "-Xmx160m", "-Xss512k", "-XX:+UseSerialGC",
            "-XX:MaxMetaspaceSize=160m", "-XX:ReservedCodeCacheSize=64m");
    // A fixed 32 MB young generation: a relayed gRPC call leaves ~12 KB of garbage, and with the
    // default sizing (a 5 MB young generation over a small live set) the proxy paused every 0.2 s at
    // 2,000 req/s, enough pauses to reach its p99 (docs/benchmarks.md).
    private static final List<String> PROXY_JVM = List.of("-Xms48m", "-Xmx96m", "-Xmn32m", "-Xss512k", "-XX:+UseSerialGC",
            "-XX:MaxMetaspaceSize=64m", "-XX:ReservedCodeCacheSize=48m");
    private static final List<String> BOT_JVM = List.of("-Xmx32m", "-Xss256k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    static final Duration HEALTHY_WITHIN = Duration.ofSeconds(120);

    /**
     * One part: how to start it (again), how to stop it, and the process now running it. A part
     * without a health URL (the bot) is judged alive by its process alone.
     */
    public static final class Part {
        private final String name;
        private final String healthUrl;
        private final String url;
        private String faultsUrl;
        private final Supplier<ManagedProcess> starter;
        private final boolean graceful; // nginx: SIGQUIT, so that its workers flush their spans
        private volatile ManagedProcess process;
        private volatile int restarts;
        private volatile long startedAt; // epoch millis of the current process's start

        Part(String name, String healthUrl, String url, Supplier<ManagedProcess> starter, boolean graceful) {
            this.name = name;
            this.healthUrl = healthUrl;
            this.url = url;
            this.starter = starter;
            this.graceful = graceful;
        }

        public String name() {
            return name;
        }

        public String healthUrl() {
            return healthUrl;
        }

        public String url() {
            return url;
        }

        /** Where the part serves its runtime switches; null for a part without any. */
        public String faultsUrl() {
            return faultsUrl;
        }

        Part withFaults(String url) {
            this.faultsUrl = url;
            return this;
        }

        /** The process running the part now; null between a crash and its restart. */
        public ManagedProcess process() {
            return process;
        }

        public int restarts() {
            return restarts;
        }

        /** When the current process was started (epoch millis). */
        public long startedAt() {
            return startedAt;
        }

        void start() {
            process = starter.get();
            startedAt = System.currentTimeMillis();
        }

        void restart() {
            restarts++;
            start();
        }

        /** Forgets a process that has exited (or was killed), until it is started again. */
        void clear() {
            process = null;
        }

        void stop() {
            ManagedProcess running = process;
            if (running == null) {
                return;
            }
            if (graceful) {
                NginxIngress.stopGracefully(running);
            } else {
                running.close();
            }
        }
    }

    private final PortPlan ports;
    private final PipelineOptions options;
    private final PrintStream out;
    private final Map<String, Part> parts = Collections.synchronizedMap(new LinkedHashMap<>());
    private final long startNanos = System.nanoTime();
    private final BackendProcesses backend;
    private final Jdk jdk = Jdk.forParts();
    private final Map<String, StartCache> startCaches = new HashMap<>();
    private volatile boolean closed;
    private Supervisor supervisor;

    private Pipeline(PortPlan ports, PipelineOptions options, PrintStream out) {
        this.ports = ports;
        this.options = options;
        this.out = out;
        this.backend = BackendProcesses.of(options.backend(), ports, options, this);
    }

    /**
     * Starts every part and waits until all are healthy; on failure stops what was started. With
     * {@code supervise}, a supervisor restarts any part that exits or stays unhealthy from then on.
     */
    public static Pipeline start(PortPlan ports, PipelineOptions options, PrintStream out) {
        Pipeline pipeline = new Pipeline(ports, options, out);
        try {
            pipeline.startAll();
        } catch (RuntimeException e) {
            pipeline.close();
            throw e;
        }
        return pipeline;
    }

    public PortPlan ports() {
        return ports;
    }

    public PipelineOptions options() {
        return options;
    }

    /** Where progress is shown. */
    PrintStream out() {
        return out;
    }

    /** The parts in the order they were started. */
    public Map<String, Part> parts() {
        synchronized (parts) {
            return new LinkedHashMap<>(parts);
        }
    }

    public Part part(String name) {
        return parts.get(name);
    }

    public String ingressUrl() {
        return "http://127.0.0.1:" + ports.ingress();
    }

    /** Where a browser reaches the app: the --listen address, else loopback. */
    public String publicIngressUrl() {
        return "http://" + options.publicHost() + ":" + ports.ingress();
    }

    public String ingressStatusUrl() {
        return "http://127.0.0.1:" + ports.ingressStatus();
    }

    /** The trace backend's query API, where `check` and the tests read traces back. */
    public TraceQueryApi traceBackend() {
        return backend.api();
    }

    /** The trace UI's start page. */
    public String traceUiUrl() {
        return backend.uiUrl();
    }

    /** What the trace UI serves: the backend's UI, or for Jaeger which one (or its placeholder page). */
    public String traceUiServes() {
        return backend.uiServes();
    }

    String spansEndpoint() {
        return "http://127.0.0.1:" + ports.zipkin() + "/api/v2/spans";
    }

    private void startAll() {
        checkPortsFree();
        try {
            Path logs = Files.createDirectories(options.runDir().resolve("logs"));
            try (var old = Files.list(logs)) { // a new run's logs start empty; a restarted part's log goes on
                for (Path file : (Iterable<Path>) old.filter(f -> f.toString().endsWith(".log")
                        && !f.getFileName().toString().equals("launcher.log"))::iterator) {
                    Files.delete(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.printf("  the Java parts run on %s%n", jdk);
        prepareStartCaches();
        // Wave 1: the backend and the two gRPC services with their proxies.
        backend.launch();
        launchService("emoji-svc");
        launchService("voting-svc");
        launchProxy("emoji-svc-proxy", emojiProxyListeners(), "gRPC " + local(ports.port("emoji-svc")));
        launchProxy("voting-svc-proxy", Map.of("INBOUND_LISTEN", local(ports.port("voting-svc")),
                "APP_ADDRESS", local(ports.port("voting-svc.app"))), "gRPC " + local(ports.port("voting-svc")));
        // Wave 2: web-svc and its proxy, which reaches the others by their logical names.
        launchWebSvc();
        launchProxy("web-svc-proxy", Map.of(
                "INBOUND_LISTEN", local(ports.port("web-svc")), "APP_ADDRESS", local(ports.port("web-svc.app")),
                "OUTBOUND_LISTEN", local(ports.port("web-svc.proxy-outbound")),
                "ROUTES", "emoji-svc:" + ports.port("emoji-svc") + "=" + local(ports.port("emoji-svc"))
                        + ",voting-svc:" + ports.port("voting-svc") + "=" + local(ports.port("voting-svc")),
                "DNS_FALLBACK", "false"), "http://" + local(ports.port("web-svc")) + "/");
        awaitAll();
        long warming = System.nanoTime();
        int answered = WarmUp.run("http://" + local(ports.port("web-svc")));
        out.printf("  \u2714 %-18s %d of %d read-only calls through web-svc's proxy, unsampled, in %.1f s%n", "warmed up", answered,
                WarmUp.ROUNDS * WarmUp.PATHS.size(), (System.nanoTime() - warming) / 1e9);
        // Wave 3: the ingress, then traffic.
        launchIngress();
        await(parts.get("ingress"));
        if (options.botRate() > 0) {
            launchBot();
        }
        out.printf("%nall parts healthy after %.1f s%n", (System.nanoTime() - startNanos) / 1e9);
    }

    private void checkPortsFree() {
        for (Map.Entry<String, Integer> port : ports.ports().entrySet()) {
            if (!backend.uses(port.getKey())) {
                continue;
            }
            try (ServerSocket probe = new ServerSocket(port.getValue(), 1, InetAddress.getLoopbackAddress())) {
                probe.getLocalPort();
            } catch (IOException e) {
                throw new LauncherException("port " + port.getValue() + " (" + port.getKey() + ") is already taken on 127.0.0.1"
                        + " — is another pipeline running? ./emojivoto status; or move every port: ./emojivoto up --port-offset N");
            }
        }
    }

    static String local(int port) {
        return "127.0.0.1:" + port;
    }

    Path log(String name) {
        return options.runDir().resolve("logs").resolve(name + ".log");
    }

    /** Starts a part whose process is the given command, and remembers how, for restarts. */
    Part launch(String name, List<String> command, Map<String, String> env, String healthUrl, String url) {
        out.printf("  starting %-18s%n", name);
        Path log = log(name);
        Part part = new Part(name, healthUrl, url, () -> ManagedProcess.start(name, ManagedProcess.inOwnSession(command), env, log, false), false);
        part.start();
        parts.put(name, part);
        return part;
    }

    /**
     * Makes, before the first wave, each Java part's start cache that is missing or stale (after a
     * build or a JDK change), two at a time; then every part of the waves starts from its cache. The
     * three proxies run one jar with the same flags, and share one cache.
     */
    private void prepareStartCaches() {
        backend.startCache(jdk).ifPresent(cache -> startCaches.put(cache.part(), cache));
        for (String service : List.of("emoji-svc", "voting-svc")) {
            startCaches.put(service, StartCache.of(service, ProjectPaths.bootJar(service), SERVICE_JVM, serviceEnv(service), jdk));
        }
        startCaches.put("web-svc", StartCache.of("web-svc", ProjectPaths.bootJar("web-svc"), SERVICE_JVM, webSvcEnv(), jdk));
        StartCache proxy = StartCache.trainedUntilReady("proxy", ProjectPaths.bootJar("proxy"), PROXY_JVM,
                proxyEnv("emoji-svc-proxy", emojiProxyListeners()), jdk,
                "http://" + local(ports.port(proxyAdminKey("emoji-svc-proxy"))) + "/ready");
        for (String name : List.of("emoji-svc-proxy", "voting-svc-proxy", "web-svc-proxy")) {
            startCaches.put(name, proxy);
        }
        List<StartCache> missing = startCaches.values().stream().distinct().filter(cache -> !cache.isReady()).toList();
        if (missing.isEmpty()) {
            return;
        }
        long preparing = System.nanoTime();
        out.printf("  preparing a faster start of %s (%s; once after a build or a JDK change)…%n",
                String.join(", ", missing.stream().map(StartCache::part).toList()),
                jdk.hasAotCache() ? "an AOT cache each" : "a CDS archive each");
        for (StartCache failed : StartCache.prepareAll(missing, 2)) { // two cores: two training runs at a time
            out.printf("  (%s starts without a start cache, which could not be made: see %s)%n",
                    failed.part(), failed.cachePath().resolveSibling("training.log"));
        }
        out.printf("  \u2714 %-18s ready in %.1f s%n", "start caches", (System.nanoTime() - preparing) / 1e9);
    }

    /** {@code java [flags] -jar …} on the JDK chosen for the parts, from the part's start cache when it has one. */
    List<String> javaCommand(String part, Path jar, List<String> jvmArgs) {
        StartCache cache = startCaches.get(part);
        if (cache != null) {
            return cache.command();
        }
        return jdk.javaCommand(jvmArgs, jar);
    }

    private Map<String, String> serviceEnv(String name) {
        Map<String, String> env = new HashMap<>();
        env.put("GRPC_PORT", Integer.toString(ports.port(name + ".app")));
        env.put("SERVER_PORT", Integer.toString(ports.port(name + ".management")));
        env.put("ZIPKIN_ENDPOINT", spansEndpoint());
        env.putAll(options.propagationOf(name));
        if (name.equals("voting-svc")) {
            env.put("FAILURE_RATE", Double.toString(options.failureRate()));
            if (options.artificialDelay() != null) {
                env.put("ARTIFICIAL_DELAY", options.artificialDelay());
            }
        }
        return env;
    }

    private void launchService(String name) {
        launch(name, javaCommand(name, ProjectPaths.bootJar(name), SERVICE_JVM), serviceEnv(name),
                managementUrl(name) + "/health", "gRPC " + local(ports.port(name + ".app"))).withFaults(managementUrl(name) + "/faults");
    }

    /** The actuator of a Spring service, on its loopback-only management port. */
    String managementUrl(String service) {
        return "http://" + local(ports.port(service + ".management")) + "/actuator";
    }

    private void launchWebSvc() {
        launch("web-svc", javaCommand("web-svc", ProjectPaths.bootJar("web-svc"), SERVICE_JVM), webSvcEnv(),
                managementUrl("web-svc") + "/health", "http://" + local(ports.port("web-svc.app")) + "/")
                .withFaults(managementUrl("web-svc") + "/faults");
    }

    private Map<String, String> webSvcEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("WEB_PORT", Integer.toString(ports.port("web-svc.app")));
        env.put("MANAGEMENT_PORT", Integer.toString(ports.port("web-svc.management")));
        env.put("EMOJISVC_HOST", "emoji-svc:" + ports.port("emoji-svc"));
        env.put("VOTINGSVC_HOST", "voting-svc:" + ports.port("voting-svc"));
        env.put("OUTBOUND_PROXY", local(ports.port("web-svc.proxy-outbound")));
        env.put("ZIPKIN_ENDPOINT", spansEndpoint());
        env.put("TRACE_UI_URL", backend.traceUrlTemplate());
        env.putAll(options.propagationOf("web-svc"));
        return env;
    }

    private Map<String, String> emojiProxyListeners() {
        return Map.of("INBOUND_LISTEN", local(ports.port("emoji-svc")), "APP_ADDRESS", local(ports.port("emoji-svc.app")));
    }

    private Map<String, String> proxyEnv(String name, Map<String, String> listeners) {
        Map<String, String> env = new HashMap<>(listeners);
        env.put("PROXY_NAME", name);
        env.put("ADMIN_LISTEN", local(ports.port(proxyAdminKey(name))));
        env.put("ZIPKIN_ENDPOINT", spansEndpoint());
        return env;
    }

    /** "emoji-svc-proxy" → "emoji-svc.proxy-admin", its admin listener in the port plan. */
    private static String proxyAdminKey(String proxy) {
        return proxy.substring(0, proxy.length() - "-proxy".length()) + ".proxy-admin";
    }

    private void launchProxy(String name, Map<String, String> listeners, String url) {
        String admin = "http://" + local(ports.port(proxyAdminKey(name)));
        launch(name, javaCommand(name, ProjectPaths.bootJar("proxy"), PROXY_JVM), proxyEnv(name, listeners),
                admin + "/ready", url).withFaults(admin + "/faults");
    }

    private void launchIngress() {
        out.printf("  starting %-18s%n", "ingress");
        Map<String, String> env = NginxIngress.env(spansEndpoint(), options.sampleRate());
        env.put("TRACE_PROPAGATION", options.ingressPropagation());
        NginxIngress.Settings settings = NginxIngress.Settings.local(ProjectPaths.root().resolve("ingress/nginx"),
                options.runDir().resolve("nginx").toAbsolutePath(), ports.ingress(), ports.ingressStatus(),
                local(ports.port("web-svc")), env).withPublicAddress(options.listen());
        Path log = log("ingress");
        Part part = new Part("ingress", ingressStatusUrl() + "/ready", ingressUrl() + "/",
                () -> NginxIngress.launch(settings, log), true).withFaults(ingressStatusUrl() + "/faults");
        part.start();
        parts.put("ingress", part);
    }

    private void launchBot() {
        Map<String, String> env = Map.of("WEB_HOST", local(ports.ingress()), "REQUEST_RATE", Double.toString(options.botRate()),
                "SUMMARY_INTERVAL", "30s");
        launch("vote-bot", javaCommand("vote-bot", ProjectPaths.bootJar("vote-bot"), BOT_JVM), env, null, null);
    }

    private void awaitAll() {
        for (Part part : parts().values()) {
            if (part.healthUrl() != null) {
                await(part);
            }
        }
    }

    private void await(Part part) {
        try {
            part.process().awaitHttpOk(part.healthUrl(), HEALTHY_WITHIN);
        } catch (IllegalStateException e) {
            throw new LauncherException(part.name() + " did not become healthy. " + e.getMessage()
                    + "\n(full log: " + part.process().log() + ")");
        }
        out.printf("  \u2714 %-18s healthy at %5.1f s%n", part.name(), (System.nanoTime() - startNanos) / 1e9);
    }

    /**
     * Records the pipeline in its run folder, as `up` does, so that `status`, `check`, `fault` and
     * `reset` find its ports and processes; the supervisor records it again after every restart.
     */
    public void record(int portOffset) {
        RunState.write(options.runDir(), this, "running", portOffset);
    }

    /** Starts restarting any part that exits or stays unhealthy; {@code onChange} hears of every restart. */
    public synchronized Supervisor supervise(PrintStream log, Runnable onChange) {
        if (supervisor == null && !closed) {
            supervisor = Supervisor.start(this, log, onChange);
        }
        return supervisor;
    }

    boolean isClosed() {
        return closed;
    }

    /** Stops the supervisor, then every part, in reverse order, each by its PID. */
    @Override
    public void close() {
        Supervisor stopping;
        synchronized (this) {
            closed = true;
            stopping = supervisor;
        }
        if (stopping != null) {
            stopping.stop(); // no restart may start once the parts are being stopped
        }
        List<Part> reversed = new ArrayList<>(parts().values());
        Collections.reverse(reversed);
        for (Part part : reversed) {
            part.stop();
        }
    }
}
