package io.emojivoto.testkit;

import io.emojivoto.localrun.FreePort;
import io.emojivoto.localrun.ManagedProcess;
import io.emojivoto.localrun.ProjectPaths;
import io.emojivoto.localrun.ZipkinApi;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A real Zipkin server (the exec jar from Maven Central), in memory, on a loopback port. */
public final class ZipkinServer implements AutoCloseable {

    private final int port;
    private final ManagedProcess process;

    private ZipkinServer(int port, ManagedProcess process) {
        this.port = port;
        this.process = process;
    }

    public static ZipkinServer start() {
        return start(FreePort.next());
    }

    public static ZipkinServer start(int port) {
        // Armeria, not server.address, decides what Zipkin binds: all three keys pin it to loopback.
        Map<String, String> env = Map.of(
                "STORAGE_TYPE", "mem",
                "ARMERIA_PORTS_0_IP", "127.0.0.1",
                "ARMERIA_PORTS_0_PORT", Integer.toString(port),
                "ARMERIA_PORTS_0_PROTOCOLS_0", "http");
        ManagedProcess process = ManagedProcess.startJar("zipkin-" + port, ProjectPaths.zipkinServerJar(),
                List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), env);
        ZipkinServer server = new ZipkinServer(port, process);
        process.awaitHttpOk(server.baseUrl() + "/health", Duration.ofSeconds(90));
        return server;
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Where reporters POST Zipkin v2 JSON: the value of ZIPKIN_ENDPOINT. */
    public String spansEndpoint() {
        return baseUrl() + "/api/v2/spans";
    }

    public ZipkinApi api() {
        return new ZipkinApi(baseUrl());
    }

    public ManagedProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }
}
