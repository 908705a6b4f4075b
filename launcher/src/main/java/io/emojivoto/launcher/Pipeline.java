package io.emojivoto.launcher;

import io.emojivoto.ingress.NginxIngress;
import io.emojivoto.testkit.ManagedProcess;
import io.emojivoto.testkit.ProjectPaths;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole local pipeline as real processes on 127.0.0.1: Zipkin, emoji-svc, voting-svc and
 * web-svc each behind its own proxy, the nginx ingress, and the vote-bot. Started in waves (what
 * does not depend on anything first), each part awaited by its health check with progress shown.
 */
public final class Pipeline implements AutoCloseable {

    /** One running part. */
    public record Part(String name, ManagedProcess process, String healthUrl, String url) {
    }

    private static final List<String> SERVICE_JVM = List.of("-Xms32m", "-Xmx160m", "-Xss512k", "-XX:+UseSerialGC",
            "-XX:MaxMetaspaceSize=160m", "-XX:ReservedCodeCacheSize=64m");
    // A fixed 32 MB young generation: a relayed gRPC call leaves ~12 KB of garbage, and with the
    // default sizing (a 5 MB young generation over a small live set) the proxy paused every 0.2 s at
    // 2,000 req/s, enough pauses to reach its p99 (docs/benchmarks.md).
    private static final List<String> PROXY_JVM = List.of("-Xms48m", "-Xmx96m", "-Xmn32m", "-Xss512k", "-XX:+UseSerialGC",
            "-XX:MaxMetaspaceSize=64m", "-XX:ReservedCodeCacheSize=48m");
    private static final List<String> ZIPKIN_JVM = List.of("-Xms64m", "-Xmx320m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private static final List<String> BOT_JVM = List.of("-Xmx32m", "-Xss256k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(120);

    private final PortPlan ports;
    private final PipelineOptions options;
    private final PrintStream out;
    private final Map<String, Part> parts = new LinkedHashMap<>();
    private final long startNanos = System.nanoTime();
    private NginxIngress ingress;

    private Pipeline(PortPlan ports, PipelineOptions options, PrintStream out) {
        this.ports = ports;
        this.options = options;
        this.out = out;
    }

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

    public Map<String, Part> parts() {
        return parts;
    }

    public String ingressUrl() {
        return "http://127.0.0.1:" + ports.ingress();
    }

    public String zipkinUrl() {
        return "http://127.0.0.1:" + ports.zipkin();
    }

    private String zipkinEndpoint() {
        return zipkinUrl() + "/api/v2/spans";
    }

    private void startAll() {
        checkPortsFree();
        try {
            Files.createDirectories(options.runDir().resolve("logs"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Wave 1: the backend and the two gRPC services with their proxies.
        launchZipkin();
        launchService("emoji-svc", ports.emojiSvcApp(), ports.emojiSvcHttp(), Map.of());
        Map<String, String> voting = new HashMap<>();
        voting.put("FAILURE_RATE", Double.toString(options.failureRate()));
        if (options.artificialDelay() != null) {
            voting.put("ARTIFICIAL_DELAY", options.artificialDelay());
        }
        launchService("voting-svc", ports.votingSvcApp(), ports.votingSvcHttp(), voting);
        launchProxy("emoji-svc-proxy", Map.of("INBOUND_LISTEN", local(ports.emojiSvc()), "APP_ADDRESS", local(ports.emojiSvcApp())),
                ports.emojiSvcAdmin(), "gRPC " + local(ports.emojiSvc()));
        launchProxy("voting-svc-proxy", Map.of("INBOUND_LISTEN", local(ports.votingSvc()), "APP_ADDRESS", local(ports.votingSvcApp())),
                ports.votingSvcAdmin(), "gRPC " + local(ports.votingSvc()));
        // Wave 2: web-svc and its proxy, which reaches the others by their logical names.
        launchWebSvc();
        launchProxy("web-svc-proxy", Map.of(
                "INBOUND_LISTEN", local(ports.webSvc()), "APP_ADDRESS", local(ports.webSvcApp()),
                "OUTBOUND_LISTEN", local(ports.webSvcOutbound()),
                "ROUTES", "emoji-svc:" + ports.emojiSvc() + "=" + local(ports.emojiSvc())
                        + ",voting-svc:" + ports.votingSvc() + "=" + local(ports.votingSvc()),
                "DNS_FALLBACK", "false"), ports.webSvcAdmin(), "http://" + local(ports.webSvc()) + "/");
        awaitAll();
        // Wave 3: the ingress, then traffic.
        launchIngress();
        if (options.botRate() > 0) {
            launchBot();
        }
        out.printf("%nall parts healthy after %.1f s%n", (System.nanoTime() - startNanos) / 1e9);
    }

    private void checkPortsFree() {
        for (Map.Entry<String, Integer> port : ports.byName().entrySet()) {
            try (ServerSocket probe = new ServerSocket(port.getValue(), 1, InetAddress.getLoopbackAddress())) {
                probe.getLocalPort();
            } catch (IOException e) {
                throw new LauncherException("port " + port.getValue() + " (" + port.getKey() + ") is already taken on 127.0.0.1"
                        + " — is another pipeline running? ./emojivoto status");
            }
        }
    }

    private static String local(int port) {
        return "127.0.0.1:" + port;
    }

    private Path log(String name) {
        return options.runDir().resolve("logs").resolve(name + ".log");
    }

    private void launch(String name, List<String> command, Map<String, String> env, String healthUrl, String url) {
        out.printf("  starting %-18s%n", name);
        ManagedProcess process = ManagedProcess.start(name, command, env, log(name), !options.detach());
        parts.put(name, new Part(name, process, healthUrl, url));
    }

    private void launchZipkin() {
        Map<String, String> env = Map.of("STORAGE_TYPE", "mem", "ARMERIA_PORTS_0_IP", "127.0.0.1",
                "ARMERIA_PORTS_0_PORT", Integer.toString(ports.zipkin()), "ARMERIA_PORTS_0_PROTOCOLS_0", "http",
                "MEM_MAX_SPANS", "200000");
        launch("zipkin", ManagedProcess.javaCommand(Launcher.zipkinJar(), ZIPKIN_JVM), env,
                zipkinUrl() + "/health", zipkinUrl() + "/zipkin/");
    }

    private void launchService(String name, int grpcPort, int httpPort, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("GRPC_PORT", Integer.toString(grpcPort));
        env.put("SERVER_PORT", Integer.toString(httpPort));
        env.put("ZIPKIN_ENDPOINT", zipkinEndpoint());
        launch(name, ManagedProcess.javaCommand(ProjectPaths.bootJar(name), SERVICE_JVM), env,
                "http://127.0.0.1:" + httpPort + "/actuator/health", "gRPC " + local(grpcPort));
    }

    private void launchWebSvc() {
        Map<String, String> env = new HashMap<>();
        env.put("WEB_PORT", Integer.toString(ports.webSvcApp()));
        env.put("EMOJISVC_HOST", "emoji-svc:" + ports.emojiSvc());
        env.put("VOTINGSVC_HOST", "voting-svc:" + ports.votingSvc());
        env.put("OUTBOUND_PROXY", local(ports.webSvcOutbound()));
        env.put("ZIPKIN_ENDPOINT", zipkinEndpoint());
        env.put("TRACE_UI_URL", zipkinUrl() + "/zipkin/traces/{traceId}");
        launch("web-svc", ManagedProcess.javaCommand(ProjectPaths.bootJar("web-svc"), SERVICE_JVM), env,
                "http://" + local(ports.webSvcApp()) + "/actuator/health", "http://" + local(ports.webSvcApp()) + "/");
    }

    private void launchProxy(String name, Map<String, String> listeners, int adminPort, String url) {
        Map<String, String> env = new HashMap<>(listeners);
        env.put("PROXY_NAME", name);
        env.put("ADMIN_LISTEN", local(adminPort));
        env.put("ZIPKIN_ENDPOINT", zipkinEndpoint());
        launch(name, ManagedProcess.javaCommand(ProjectPaths.bootJar("proxy"), PROXY_JVM), env,
                "http://" + local(adminPort) + "/ready", url);
    }

    private void launchIngress() {
        out.printf("  starting %-18s%n", "ingress");
        Map<String, String> env = NginxIngress.env(zipkinEndpoint(), options.sampleRate());
        NginxIngress.Settings settings = NginxIngress.Settings.local(ProjectPaths.root().resolve("ingress/nginx"),
                options.runDir().resolve("nginx").toAbsolutePath(), ports.ingress(), ports.ingressStatus(),
                local(ports.webSvc()), env);
        ingress = NginxIngress.start(settings, log("ingress"), !options.detach());
        parts.put("ingress", new Part("ingress", ingress.process(), ingress.statusUrl("/ready"), ingressUrl() + "/"));
        ready("ingress");
    }

    private void launchBot() {
        Map<String, String> env = Map.of("WEB_HOST", local(ports.ingress()), "REQUEST_RATE", Double.toString(options.botRate()),
                "SUMMARY_INTERVAL", "30s");
        launch("vote-bot", ManagedProcess.javaCommand(ProjectPaths.bootJar("vote-bot"), BOT_JVM), env, null, null);
    }

    private void awaitAll() {
        for (Part part : parts.values()) {
            if (part.healthUrl() != null && !part.name().equals("ingress")) {
                awaitPart(part);
            }
        }
    }

    private void awaitPart(Part part) {
        try {
            part.process().awaitHttpOk(part.healthUrl(), HEALTHY_WITHIN);
        } catch (IllegalStateException e) {
            throw new LauncherException(part.name() + " did not become healthy. " + e.getMessage()
                    + "\n(full log: " + part.process().log() + ")");
        }
        ready(part.name());
    }

    private void ready(String name) {
        out.printf("  \u2714 %-18s healthy at %5.1f s%n", name, (System.nanoTime() - startNanos) / 1e9);
    }

    /** Kills the trace backend (SIGKILL, as a crash would), for tests of a dead collector. */
    public void killZipkin() {
        ManagedProcess zipkin = parts.get("zipkin").process();
        ProcessHandle.of(zipkin.pid()).ifPresent(ProcessHandle::destroyForcibly);
        while (zipkin.isAlive()) {
            Thread.onSpinWait();
        }
    }

    /** Starts a fresh trace backend on the same port and waits for it. */
    public void restartZipkin() {
        parts.remove("zipkin");
        launchZipkin();
        awaitPart(parts.get("zipkin"));
    }

    /** The first part that has exited, if any. */
    public Part firstDead() {
        return parts.values().stream().filter(p -> !p.process().isAlive()).findFirst().orElse(null);
    }

    /** Stops every part, in reverse order, each by its PID. */
    @Override
    public void close() {
        List<Part> reversed = new ArrayList<>(parts.values());
        java.util.Collections.reverse(reversed);
        for (Part part : reversed) {
            if (part.name().equals("ingress") && ingress != null) {
                ingress.stopGracefully();
            } else {
                part.process().close();
            }
        }
    }
}
