package io.emojivoto.testkit;

import io.emojivoto.localrun.FreePort;
import io.emojivoto.localrun.ManagedProcess;
import io.emojivoto.localrun.ProjectPaths;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One of our Spring Boot services, started from its executable jar as a real process. */
public final class ServiceProcess implements AutoCloseable {

    /** Small heaps and a fast-starting JIT: tests start several JVMs on two cores. */
    public static final List<String> TEST_JVM_FLAGS = List.of(
            "-Xmx192m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=64m");

    private final ManagedProcess process;
    private final Map<String, Integer> ports;

    private ServiceProcess(ManagedProcess process, Map<String, Integer> ports) {
        this.process = process;
        this.ports = ports;
    }

    /** emoji-svc or voting-svc: gRPC on a free port, actuator on another. */
    public static ServiceProcess startGrpcService(String module, String zipkinEndpoint, Map<String, String> extraEnv) {
        int grpcPort = FreePort.next();
        int httpPort = FreePort.next();
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("GRPC_PORT", Integer.toString(grpcPort));
        env.put("SERVER_PORT", Integer.toString(httpPort));
        env.put("ZIPKIN_ENDPOINT", zipkinEndpoint);
        ManagedProcess process = ManagedProcess.startJar(module + "-" + grpcPort, ProjectPaths.bootJar(module),
                TEST_JVM_FLAGS, env);
        process.awaitHttpOk("http://127.0.0.1:" + httpPort + "/actuator/health", Duration.ofSeconds(90));
        return new ServiceProcess(process, Map.of("grpc", grpcPort, "http", httpPort));
    }

    public int grpcPort() {
        return ports.get("grpc");
    }

    public int httpPort() {
        return ports.get("http");
    }

    /** host:port of the gRPC listener, the form EMOJISVC_HOST and VOTINGSVC_HOST take. */
    public String grpcAddress() {
        return "127.0.0.1:" + grpcPort();
    }

    public ManagedProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }
}
