package io.emojivoto.web;

import io.emojivoto.testkit.ServiceProcess;
import io.emojivoto.testkit.ZipkinServer;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real backends of web-svc's tests, started once for all test classes of the module and
 * stopped (by PID) when the test run ends: a Zipkin server, emoji-svc and voting-svc.
 */
public final class Backends implements BeforeAllCallback {

    public record Running(ZipkinServer zipkin, ServiceProcess emoji, ServiceProcess voting) implements AutoCloseable {
        @Override
        public void close() {
            voting.close();
            emoji.close();
            zipkin.close();
        }
    }

    private static volatile Running running;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(Backends.class, key -> start(), Running.class);
    }

    private static synchronized Running start() {
        ZipkinServer zipkin = ZipkinServer.start();
        ServiceProcess emoji = ServiceProcess.startGrpcService("emoji-svc", zipkin.spansEndpoint(), Map.of());
        ServiceProcess voting = ServiceProcess.startGrpcService("voting-svc", zipkin.spansEndpoint(), Map.of());
        running = new Running(zipkin, emoji, voting);
        return running;
    }

    /** Points the web-svc under test at the shared emoji-svc, voting-svc and Zipkin. */
    public static void register(org.springframework.test.context.DynamicPropertyRegistry registry) {
        registry.add("web.emoji-svc-host", () -> get().emoji().grpcAddress());
        registry.add("web.voting-svc-host", () -> get().voting().grpcAddress());
        registry.add("management.tracing.export.zipkin.endpoint", () -> get().zipkin().spansEndpoint());
    }

    public static Running get() {
        if (running == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(Backends.class)");
        }
        return running;
    }
}
