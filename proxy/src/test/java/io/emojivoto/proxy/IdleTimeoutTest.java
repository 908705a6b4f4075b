package io.emojivoto.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** IDLE_TIMEOUT: a client connection on which nothing moves is closed; one in use is not. */
@ExtendWith(NoBufferLeaks.class)
class IdleTimeoutTest {

    private static final Duration IDLE = Duration.ofSeconds(1);
    private static HttpServer backend;
    private static ProxyServer proxy;

    @BeforeAll
    static void start() throws Exception {
        backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        backend.createContext("/", exchange -> {
            byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        backend.start();
        proxy = ProxyGrpcTest.startProxy("idle-proxy", Map.of("INBOUND_LISTEN", "127.0.0.1:0",
                "APP_ADDRESS", "127.0.0.1:" + backend.getAddress().getPort(), "ZIPKIN_ENDPOINT", "",
                "IDLE_TIMEOUT", IDLE.toMillis() + "ms"));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        backend.stop(0);
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.inboundAddress().getPort());
        socket.setSoTimeout(5000);
        return socket;
    }

    @Test
    void a_connection_in_use_stays_open_and_is_closed_once_idle() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            long end = System.nanoTime() + IDLE.multipliedBy(2).toNanos();
            int answered = 0;
            while (System.nanoTime() < end) { // a request every 400 ms: never idle for IDLE_TIMEOUT
                out.write("GET /busy HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(ProxyHttp1Test.readResponse(in)).startsWith("HTTP/1.1 200");
                answered++;
                Thread.sleep(400);
            }
            assertThat(answered).isGreaterThanOrEqualTo(4);
            long idleSince = System.nanoTime();
            assertThat(in.read()).as("end of stream once idle").isEqualTo(-1);
            Duration closedAfter = Duration.ofNanos(System.nanoTime() - idleSince);
            assertThat(closedAfter).isBetween(IDLE.minusMillis(450), IDLE.multipliedBy(3));
        }
    }

    @Test
    void an_http2_connection_that_sends_nothing_more_is_closed() throws Exception {
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[] {0, 0, 0, 0x4, 0, 0, 0, 0, 0}); // empty SETTINGS
            byte[] got;
            try {
                got = socket.getInputStream().readAllBytes(); // the proxy's SETTINGS and ack, then the end
            } catch (java.net.SocketException reset) {
                got = new byte[0];
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(IDLE.minusMillis(100), IDLE.multipliedBy(3));
            assertThat(got.length).isGreaterThan(0);
        }
    }
}
