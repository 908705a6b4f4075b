package io.emojivoto.proxy;

import io.netty.util.ResourceLeakDetector;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar proxy.jar}, configured by environment variables (see {@link ProxyConfig}). */
public final class ProxyMain {

    private ProxyMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            // Sampling buffers for leaks records two stack traces per sampled buffer, on the request
            // path; the tests track every buffer instead (NoBufferLeaks). -Dio.netty.leakDetection.level=simple
            // turns it back on.
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        ProxyConfig config;
        try {
            config = ProxyConfig.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("proxy: " + e.getMessage());
            System.exit(2);
            return;
        }
        ProxyServer server = new ProxyServer(config);
        try {
            server.start();
        } catch (Exception e) {
            System.err.println("proxy: cannot start (listening on " + config.inbound() + ", " + config.outbound()
                    + ", admin " + config.admin() + "): " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "proxy-shutdown"));
        stopped.await();
    }
}
