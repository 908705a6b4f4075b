package io.emojivoto.voting;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/** Starts voting-svc with the given properties on free ports, and a plaintext channel to it. */
final class VotingServer implements AutoCloseable {

    final ConfigurableApplicationContext context;
    final ManagedChannel channel;

    VotingServer(String... properties) {
        AtomicInteger port = new AtomicInteger();
        // Command-line arguments, so that they override application.properties as an operator's would.
        List<String> args = new ArrayList<>(List.of("--spring.grpc.server.port=0", "--server.port=0"));
        for (String property : properties) {
            args.add("--" + property);
        }
        if (args.stream().noneMatch(arg -> arg.startsWith("--management.tracing.export.enabled="))) {
            args.add("--management.tracing.export.enabled=false"); // no collector in these tests, unless asked
        }
        context = new SpringApplicationBuilder(VotingSvcApplication.class)
                .listeners(event -> {
                    if (event instanceof GrpcServerStartedEvent started) {
                        port.set(started.getPort());
                    }
                })
                .run(args.toArray(String[]::new));
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port.get()).usePlaintext().build();
    }

    /** The actuator's port (health, Prometheus, the fault switches). */
    int managementPort() {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    @Override
    public void close() {
        channel.shutdownNow();
        context.close();
    }
}
