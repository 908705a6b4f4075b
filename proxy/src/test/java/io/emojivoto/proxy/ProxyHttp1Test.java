package io.emojivoto.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.emojivoto.localrun.FreePort;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** HTTP/1.1 clients and a real HTTP/1.1 server through the proxy. */
@ExtendWith(NoBufferLeaks.class)
class ProxyHttp1Test {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static HttpServer backend;
    private static ProxyServer proxy;
    private static final Map<String, String> lastHeaders = new ConcurrentHashMap<>();
    private static final java.util.List<String> paths = new java.util.concurrent.CopyOnWriteArrayList<>(); // every request the app got

    @BeforeAll
    static void start() throws Exception {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        backend.setExecutor(Executors.newFixedThreadPool(8));
        backend.createContext("/", exchange -> {
            lastHeaders.clear();
            exchange.getRequestHeaders().forEach((k, v) -> lastHeaders.put(k.toLowerCase(), String.join(",", v)));
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            paths.add(path);
            String query = exchange.getRequestURI().getQuery();
            if (path.equals("/slow")) {
                try {
                    Thread.sleep(Long.parseLong(query));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (path.equals("/chunked")) {
                exchange.sendResponseHeaders(200, 0); // chunked
                for (int i = 0; i < 100; i++) {
                    exchange.getResponseBody().write(("chunk " + i + "\n").getBytes());
                    exchange.getResponseBody().flush();
                }
            } else {
                byte[] response = path.equals("/echo") ? body : ("hello from " + path).getBytes();
                exchange.getResponseHeaders().add("Connection", "keep-alive");
                exchange.getResponseHeaders().add("X-Backend", "yes");
                exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
                exchange.getResponseBody().write(response);
            }
            exchange.close();
        });
        backend.start();
        proxy = ProxyGrpcTest.startProxy("h1-proxy", Map.of("INBOUND_LISTEN", "127.0.0.1:0",
                "APP_ADDRESS", "127.0.0.1:" + backend.getAddress().getPort(), "ZIPKIN_ENDPOINT", "",
                "RESPONSE_TIMEOUT", "1s", "MAX_HEADER_SIZE", "16384", "HEADER_TIMEOUT", "700ms"));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        backend.stop(0);
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + proxy.inboundAddress().getPort() + path;
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return CLIENT.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Writes raw bytes to the proxy and reads until {@code responses} status lines have arrived (or EOF). */
    private static String raw(String request, int responses) throws IOException {
        try (Socket socket = clientOf(proxy)) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            StringBuilder got = new StringBuilder();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            boolean toTheEnd = request.toLowerCase().contains("connection: close");
            while (toTheEnd || !complete(got.toString(), responses)) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (java.net.SocketTimeoutException e) {
                    break;
                }
                if (n < 0) {
                    break;
                }
                got.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            }
            return got.toString();
        }
    }

    /** Whether {@code got} holds {@code responses} whole responses (each framed by Content-Length or chunked). */
    private static boolean complete(String got, int responses) {
        int at = 0;
        for (int i = 0; i < responses; i++) {
            int headEnd = got.indexOf("\r\n\r\n", at);
            if (!got.startsWith("HTTP/1.1 ", at) || headEnd < 0) {
                return false;
            }
            String head = got.substring(at, headEnd).toLowerCase(java.util.Locale.ROOT);
            at = headEnd + 4;
            java.util.regex.Matcher length = java.util.regex.Pattern.compile("\r\ncontent-length: *(\\d+)").matcher(head);
            if (length.find()) {
                at += Integer.parseInt(length.group(1));
            } else if (head.contains("\r\ntransfer-encoding: chunked")) {
                int end = got.indexOf("\r\n0\r\n\r\n", at - 2);
                if (end < 0) {
                    return false;
                }
                at = end + 7;
            }
            if (at > got.length()) {
                return false;
            }
        }
        return true;
    }

    @Test
    void keep_alive_carries_several_requests_on_one_connection() throws Exception {
        String three = "GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        String response = raw(three, 1);
        assertThat(response).startsWith("HTTP/1.1 200").contains("hello from /a").containsIgnoringCase("X-Backend: yes");
        try (Socket socket = clientOf(proxy)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 3; i++) {
                out.write(("GET /n" + i + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes());
                String reply = readResponse(in);
                assertThat(reply).startsWith("HTTP/1.1 200").contains("hello from /n" + i);
            }
        }
    }

    @Test
    void a_client_that_asks_to_close_gets_its_answer_and_then_the_end_of_the_connection() throws Exception {
        // Connection: close, and HTTP/1.0 without keep-alive: the response says close, the connection ends
        // after it, and a request pipelined behind it is not answered (nor sent to the app).
        for (String first : new String[] {"GET /bye HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                                          "GET /bye HTTP/1.0\r\nHost: x\r\n\r\n"}) {
            paths.clear();
            String got = untilClosed(first + "GET /after HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(got).startsWith("HTTP/1.1 200").contains("hello from /bye").doesNotContain("/after");
            assertThat(got.substring(0, got.indexOf("\r\n\r\n")).toLowerCase()).contains("\r\nconnection: close");
            assertThat(paths).containsExactly("/bye");
        }
    }

    @Test
    void an_http10_client_that_asks_for_keep_alive_keeps_its_connection() throws Exception {
        try (Socket socket = clientOf(proxy)) {
            for (int i = 0; i < 2; i++) {
                socket.getOutputStream().write(("GET /ten" + i + " HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n\r\n").getBytes());
                String reply = readResponse(socket.getInputStream());
                assertThat(reply).startsWith("HTTP/1.1 200").contains("hello from /ten" + i);
                assertThat(reply.toLowerCase()).doesNotContain("connection: close").contains("\r\nconnection: keep-alive\r\n");
            }
        }
    }

    @Test
    void an_http10_client_gets_a_body_of_unknown_length_unchunked_and_ended_by_the_close() throws Exception {
        // RFC 9112 6.1: no Transfer-Encoding to a 1.0 client, which could not read it; the body ends the 1.0
        // way, with the connection, whether or not the client asked to keep it.
        for (String connection : new String[] {"", "Connection: keep-alive\r\n"}) {
            String got = untilClosed("GET /chunked HTTP/1.0\r\nHost: x\r\n" + connection + "\r\n");
            String head = got.substring(0, got.indexOf("\r\n\r\n")).toLowerCase();
            assertThat(head).startsWith("http/1.1 200").contains("\r\nconnection: close").doesNotContain("transfer-encoding");
            String body = got.substring(got.indexOf("\r\n\r\n") + 4);
            assertThat(body).startsWith("chunk 0\n").endsWith("chunk 99\n").doesNotContain("\r\n");
        }
    }

    @Test
    void an_upstream_that_answers_in_http10_ends_the_client_connection_after_its_response() throws Exception {
        // An HTTP/1.0 response tells the client the connection ends with it: it must then end.
        try (java.net.ServerSocket upstream = new java.net.ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> answered = answering(upstream, "HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nold");
            try (ProxyServer toOld = proxyTo("p10", upstream)) {
                String got = untilClosed(toOld.inboundAddress().getPort(), "GET /old HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(got).startsWith("HTTP/1.0 200").endsWith("\r\n\r\nold");
                answered.get(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void a_304_without_a_length_keeps_the_client_connection() throws Exception {
        // A 304 has no body whatever its fields say, so it needs no length to end: the connection goes on.
        try (java.net.ServerSocket upstream = new java.net.ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> answered = answering(upstream,
                    "HTTP/1.1 304 Not Modified\r\nETag: \"e\"\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            try (ProxyServer toCache = proxyTo("p304", upstream);
                 Socket client = clientOf(toCache)) {
                client.getOutputStream().write("GET /cached HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"e\"\r\n\r\n".getBytes());
                assertThat(readResponse(client.getInputStream())).startsWith("HTTP/1.1 304").doesNotContainIgnoringCase("connection: close");
                client.getOutputStream().write("GET /again HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
                assertThat(readResponse(client.getInputStream())).startsWith("HTTP/1.1 200").endsWith("ok");
                answered.get(5, TimeUnit.SECONDS);
            }
        }
    }

    /** A proxy in front of {@code upstream}, with no span reporting. */
    /** A client connection to {@code proxy}'s inbound listener; a read that waits over 5 s fails the test. */
    private static Socket clientOf(ProxyServer proxy) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.inboundAddress().getPort());
        socket.setSoTimeout(5000);
        return socket;
    }

    private static ProxyServer proxyTo(String name, java.net.ServerSocket upstream) throws InterruptedException {
        return ProxyGrpcTest.startProxy(name, Map.of("INBOUND_LISTEN", "127.0.0.1:0",
                "APP_ADDRESS", "127.0.0.1:" + upstream.getLocalPort(), "ZIPKIN_ENDPOINT", ""));
    }

    /** An upstream that takes one connection and answers each request head read on it with the next of {@code responses}. */
    private static CompletableFuture<Void> answering(java.net.ServerSocket upstream, String... responses) {
        return CompletableFuture.runAsync(() -> {
            try (Socket s = upstream.accept()) {
                s.setSoTimeout(5000);
                for (String response : responses) {
                    readHead(s.getInputStream());
                    s.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static String untilClosed(String request) throws IOException {
        return untilClosed(proxy.inboundAddress().getPort(), request);
    }

    /** Writes {@code request} and reads until the proxy closes the connection, which must come within 5 s. */
    private static String untilClosed(int port, String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000); // a read that times out fails the test: the connection was left open
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** One response framed by Content-Length, head and body. */
    static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        int length = Integer.parseInt(head.toString().lines().filter(l -> l.toLowerCase().startsWith("content-length:"))
                .findFirst().orElse("content-length: 0").split(":")[1].trim());
        return head + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    @Test
    void large_bodies_go_both_ways() throws Exception {
        byte[] body = new byte[6 << 20];
        ThreadLocalRandom.current().nextBytes(body);
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create(url("/echo")))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(body);
    }

    @Test
    void chunked_bodies_are_streamed_both_ways() throws Exception {
        byte[] body = new byte[300_000];
        ThreadLocalRandom.current().nextBytes(body);
        HttpResponse<byte[]> echo = send(HttpRequest.newBuilder(URI.create(url("/echo")))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
        assertThat(lastHeaders.get("transfer-encoding")).isEqualTo("chunked");
        assertThat(echo.body()).isEqualTo(body);
        HttpResponse<byte[]> chunked = send(HttpRequest.newBuilder(URI.create(url("/chunked"))));
        assertThat(new String(chunked.body())).startsWith("chunk 0\n").endsWith("chunk 99\n");
    }

    @Test
    void expect_100_continue_is_answered_and_the_body_forwarded() throws Exception {
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create(url("/echo"))).expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofString("after continue")));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new String(response.body())).isEqualTo("after continue");
        assertThat(lastHeaders).doesNotContainKey("expect");
    }

    @Test
    void hop_by_hop_headers_are_removed_and_the_rest_forwarded_untouched() throws Exception {
        String response = raw("GET /h HTTP/1.1\r\nHost: svc\r\nConnection: keep-alive, X-Hop\r\nX-Hop: secret\r\n"
                + "Keep-Alive: timeout=5\r\nProxy-Authorization: Basic eA==\r\nTE: trailers\r\nUpgrade: websocket\r\n"
                + "X-Normal: kept\r\nX-Multi: a\r\nX-Multi: b\r\n\r\n", 1);
        assertThat(response).startsWith("HTTP/1.1 200");
        assertThat(lastHeaders).containsEntry("x-normal", "kept").containsEntry("x-multi", "a,b").containsEntry("host", "svc");
        assertThat(lastHeaders).doesNotContainKeys("x-hop", "keep-alive", "proxy-authorization", "te", "upgrade");
    }

    @Test
    void a_body_cannot_be_smuggled_to_the_app_as_a_request_of_its_own() throws Exception {
        String hidden = "GET /smuggled HTTP/1.1\r\nHost: svc\r\n\r\n";
        String after = "GET /after HTTP/1.1\r\nHost: svc\r\n\r\n";
        // Connection naming Content-Length: were it dropped, the body would reach the app unframed.
        String response = raw("POST /echo HTTP/1.1\r\nHost: svc\r\nConnection: content-length\r\nContent-Length: "
                + hidden.length() + "\r\n\r\n" + hidden + after, 2);
        assertThat(response).startsWith("HTTP/1.1 200").contains("\r\n\r\n" + hidden + "HTTP/1.1 200").endsWith("hello from /after");
        // CL.TE and TE.CL: refused, and the connection closed before what follows is read.
        assertThat(raw("POST /echo HTTP/1.1\r\nHost: svc\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + hidden, 2))
                .startsWith("HTTP/1.1 400").doesNotContain("smuggled");
        assertThat(raw("POST /echo HTTP/1.1\r\nHost: svc\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n1\r\nx\r\n0\r\n\r\n" + hidden, 2))
                .startsWith("HTTP/1.1 400").doesNotContain("smuggled");
        assertThat(paths).doesNotContain("/smuggled");
    }

    @Test
    void malformed_requests_get_400_414_or_431() throws Exception {
        assertThat(raw("this is not http\r\n\r\n", 1)).startsWith("HTTP/1.1 400");
        assertThat(raw("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 1)).startsWith("HTTP/1.1 414");
        assertThat(raw("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n", 1)).startsWith("HTTP/1.1 431");
        assertThat(raw("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n", 1)).startsWith("HTTP/1.1 400");
        assertThat(send(HttpRequest.newBuilder(URI.create(url("/still-fine")))).statusCode()).isEqualTo(200);
    }

    @Test
    void a_client_that_trickles_its_headers_gets_408_and_is_disconnected() throws Exception {
        try (Socket socket = clientOf(proxy)) {
            OutputStream out = socket.getOutputStream();
            // A good request first: the guard's clock must start again for the next head on the connection.
            out.write("GET /good HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            assertThat(readResponse(socket.getInputStream())).startsWith("HTTP/1.1 200");
            long start = System.nanoTime();
            out.write("GET /slowloris HTTP/1.1\r\nHost: x\r\n".getBytes());
            drip(out, 3, i -> ("X-Drip-" + i + ": 1\r\n").getBytes()); // never finishes the head
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(response).startsWith("HTTP/1.1 408");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
        assertThat(send(HttpRequest.newBuilder(URI.create(url("/after-slowloris")))).statusCode()).isEqualTo(200);
    }

    @Test
    void an_http2_client_that_trickles_a_header_block_is_disconnected() throws Exception {
        try (Socket socket = clientOf(proxy)) {
            OutputStream out = socket.getOutputStream();
            long start = System.nanoTime();
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(frame(0x4, 0, 0, new byte[0])); // SETTINGS
            out.write(frame(0x1, 0, 1, new byte[] {(byte) 0x83})); // HEADERS without END_HEADERS: :method POST
            drip(out, 4, i -> frame(0x9, 0, 1, new byte[] {(byte) 0x84})); // CONTINUATION (:path /), never the end
            try {
                socket.getInputStream().readAllBytes(); // the server's SETTINGS and GOAWAY, then the end
            } catch (java.net.SocketException reset) {
                // closed while our CONTINUATION frames were still arriving: as good an end
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
        assertThat(send(HttpRequest.newBuilder(URI.create(url("/after-h2-slowloris")))).statusCode()).isEqualTo(200);
    }

    /**
     * A slow client: writes a piece every 300 ms, {@code count} times, keeping its connection busy;
     * stops early when the proxy has closed it.
     */
    private static void drip(OutputStream out, int count, java.util.function.IntFunction<byte[]> piece) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            Thread.sleep(300);
            try {
                out.write(piece.apply(i));
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** An HTTP/2 frame: 9-byte header (length, type, flags, stream id), then the payload. */
    private static byte[] frame(int type, int flags, int stream, byte[] payload) {
        java.nio.ByteBuffer frame = java.nio.ByteBuffer.allocate(9 + payload.length);
        frame.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
        frame.put((byte) type).put((byte) flags).putInt(stream).put(payload);
        return frame.array();
    }

    @Test
    void an_upstream_that_is_down_is_a_502_and_a_slow_one_a_504() throws Exception {
        try (ProxyServer toNowhere = ProxyGrpcTest.startProxy("p5", Map.of("INBOUND_LISTEN", "127.0.0.1:0",
                "APP_ADDRESS", "127.0.0.1:" + FreePort.next(), "ZIPKIN_ENDPOINT", ""))) {
            HttpResponse<byte[]> down = send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + toNowhere.inboundAddress().getPort() + "/x")));
            assertThat(down.statusCode()).isEqualTo(502);
            assertThat(new String(down.body())).contains("\"error\"").contains("unreachable");
            // A body that comes with its head makes one full message, never written upstream: its buffer is
            // released all the same (NoBufferLeaks fails the class otherwise).
            assertThat(untilClosed(toNowhere.inboundAddress().getPort(),
                    "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello")).startsWith("HTTP/1.1 502");
        }
        long start = System.nanoTime();
        HttpResponse<byte[]> slow = send(HttpRequest.newBuilder(URI.create(url("/slow?3000"))));
        assertThat(slow.statusCode()).isEqualTo(504);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void a_pipelined_request_expecting_100_continue_gets_it_after_the_response_ahead_of_it() throws Exception {
        try (Socket socket = clientOf(proxy)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /slow?300 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String got = readUntil(socket.getInputStream(), "100 Continue\r\n\r\n");
            assertThat(got).startsWith("HTTP/1.1 200").contains("hello from /slow");
            assertThat(got.indexOf("hello from /slow")).isLessThan(got.indexOf("HTTP/1.1 100 Continue"));
            out.write("body".getBytes(StandardCharsets.US_ASCII));
            assertThat(readUntil(socket.getInputStream(), "body")).startsWith("HTTP/1.1 200");
        }
    }

    private static String readUntil(InputStream in, String end) throws IOException {
        StringBuilder got = new StringBuilder();
        byte[] buffer = new byte[8192];
        while (!got.toString().endsWith(end)) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            got.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
        }
        return got.toString();
    }

    @Test
    void pipelined_requests_are_answered_in_order() throws Exception {
        // Three requests in one write, the second with a body: each waits for the one before it.
        String response = raw("GET /first HTTP/1.1\r\nHost: x\r\n\r\n"
                + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nsecond"
                + "GET /third HTTP/1.1\r\nHost: x\r\n\r\n", 3);
        assertThat(response.split("HTTP/1.1 200", -1)).hasSize(4);
        assertThat(response.indexOf("hello from /first")).isLessThan(response.indexOf("second"));
        assertThat(response.indexOf("second")).isLessThan(response.indexOf("hello from /third"));
    }

    @Test
    void a_request_body_that_stalls_gets_408_and_the_connection_closes() throws Exception {
        try (ProxyServer strict = ProxyGrpcTest.startProxy("p7", Map.of("INBOUND_LISTEN", "127.0.0.1:0",
                "APP_ADDRESS", "127.0.0.1:" + backend.getAddress().getPort(), "ZIPKIN_ENDPOINT", "", "BODY_TIMEOUT", "500ms"));
             Socket socket = clientOf(strict)) {
            long start = System.nanoTime();
            socket.getOutputStream().write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc".getBytes());
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(response).startsWith("HTTP/1.1 408").contains("stalled");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(400), Duration.ofSeconds(3));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> strict.metrics().inFlight.get() == 0);
        }
    }

    @Test
    void a_kept_alive_upstream_that_closes_as_a_get_goes_out_gets_it_again_on_a_new_connection() throws Exception {
        // The race of an upstream's keep-alive timeout: it closes the connection just as the next request
        // arrives, without answering. Here the first connection does so on its second request.
        try (java.net.ServerSocket upstream = new java.net.ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Integer> connections = CompletableFuture.supplyAsync(() -> {
                try (Socket first = upstream.accept()) {
                    first.setSoTimeout(5000);
                    readHead(first.getInputStream());
                    first.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none".getBytes());
                    readHead(first.getInputStream()); // the second request: closed unanswered
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                try (Socket second = upstream.accept()) {
                    second.setSoTimeout(5000);
                    readHead(second.getInputStream());
                    second.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\ntwo".getBytes());
                    return 2;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (ProxyServer toRacy = proxyTo("p8", upstream);
                 Socket client = clientOf(toRacy)) {
                client.getOutputStream().write("GET /vote HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
                assertThat(readResponse(client.getInputStream())).startsWith("HTTP/1.1 200").endsWith("one");
                client.getOutputStream().write("GET /vote HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
                assertThat(readResponse(client.getInputStream())).startsWith("HTTP/1.1 200").endsWith("two");
                assertThat(connections.get(5, TimeUnit.SECONDS)).isEqualTo(2);
            }
        }
    }

    private static void readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before a whole request head");
            }
            head.append((char) b);
        }
    }

    @Test
    void an_upload_slower_than_the_response_timeout_is_still_answered() throws Exception {
        // RESPONSE_TIMEOUT (1s here) is the upstream's time to answer once it has the whole request.
        try (Socket socket = clientOf(proxy)) {
            OutputStream out = socket.getOutputStream();
            out.write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nabc".getBytes());
            out.flush();
            Thread.sleep(1500); // the stimulus: a client that pauses mid-body for longer than the timeout
            out.write("def".getBytes());
            out.flush();
            String response = readResponse(socket.getInputStream());
            assertThat(response).startsWith("HTTP/1.1 200").endsWith("\r\n\r\nabcdef");
        }
    }

    @Test
    void a_sampled_request_gets_its_span_id_rewritten() throws Exception {
        String trace = ProxyGrpcTest.hex(16);
        String span = ProxyGrpcTest.hex(8);
        send(HttpRequest.newBuilder(URI.create(url("/t"))).header("X-B3-TraceId", trace).header("X-B3-SpanId", span)
                .header("X-B3-Sampled", "1"));
        assertThat(lastHeaders.get("x-b3-traceid")).isEqualTo(trace);
        assertThat(lastHeaders.get("x-b3-parentspanid")).isEqualTo(span);
        assertThat(lastHeaders.get("x-b3-spanid")).isNotEqualTo(span).matches("[0-9a-f]{16}");
    }

    @Test
    void a_client_that_disconnects_mid_body_leaves_nothing_behind() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.inboundAddress().getPort())) {
            socket.getOutputStream().write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n".getBytes());
            socket.getOutputStream().write(new byte[20_000]);
            socket.getOutputStream().flush();
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> proxy.metrics().inFlight.get() == 0);
        assertThat(send(HttpRequest.newBuilder(URI.create(url("/after")))).statusCode()).isEqualTo(200);
    }

    @Test
    void graceful_shutdown_lets_requests_in_flight_finish_and_turns_ready_off() throws Exception {
        ProxyServer draining = ProxyGrpcTest.startProxy("p6", Map.of("INBOUND_LISTEN", "127.0.0.1:0",
                "APP_ADDRESS", "127.0.0.1:" + backend.getAddress().getPort(), "ZIPKIN_ENDPOINT", "", "DRAIN_TIMEOUT", "5s"));
        String base = "http://127.0.0.1:" + draining.inboundAddress().getPort();
        CompletableFuture<HttpResponse<byte[]>> inFlight = CLIENT.sendAsync(
                HttpRequest.newBuilder(URI.create(base + "/slow?800")).build(), HttpResponse.BodyHandlers.ofByteArray());
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> draining.metrics().inFlight.get() == 1);
        CompletableFuture<Void> closed = CompletableFuture.runAsync(draining::close);
        assertThat(inFlight.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        closed.get(15, TimeUnit.SECONDS);
        assertThat(canConnect(draining.inboundAddress().getPort())).isFalse();
    }

    private static boolean canConnect(int port) {
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void the_admin_listener_answers_probes_and_metrics() throws Exception {
        String admin = "http://127.0.0.1:" + proxy.adminAddress().getPort();
        assertThat(send(HttpRequest.newBuilder(URI.create(admin + "/live"))).statusCode()).isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(URI.create(admin + "/ready"))).statusCode()).isEqualTo(200);
        send(HttpRequest.newBuilder(URI.create(url("/counted"))));
        String metrics = new String(send(HttpRequest.newBuilder(URI.create(admin + "/metrics"))).body());
        assertThat(metrics).contains("proxy_requests_seconds_count{direction=\"inbound\"", "proxy_connections_open",
                "proxy_trace_headers_malformed_total", "proxy_requests_seconds_bucket");
    }
}
