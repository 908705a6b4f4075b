package io.emojivoto.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emojivoto.localrun.FreePort;
import io.emojivoto.testkit.Traces;
import io.emojivoto.testkit.ZipkinServer;
import io.emojivoto.localrun.StoredSpan;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Real gRPC clients and a real gRPC server talking through the proxy over real sockets. */
@ExtendWith(NoBufferLeaks.class)
class ProxyGrpcTest {

    private static ZipkinServer zipkin;
    private static TestGrpcBackend backend;
    private static ProxyServer proxy;
    private final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        zipkin = ZipkinServer.start();
        backend = new TestGrpcBackend();
        proxy = startProxy("test-proxy", Map.of("INBOUND_LISTEN", "127.0.0.1:0", "APP_ADDRESS", "127.0.0.1:" + backend.port(),
                "OUTBOUND_LISTEN", "127.0.0.1:0", "ROUTES", "echo-svc:8080=127.0.0.1:" + backend.port(),
                "DNS_FALLBACK", "false", "ZIPKIN_ENDPOINT", zipkin.spansEndpoint()));
    }

    static ProxyServer startProxy(String name, Map<String, String> env) throws InterruptedException {
        Map<String, String> all = new java.util.HashMap<>(Map.of("PROXY_NAME", name, "ADMIN_LISTEN", "127.0.0.1:0",
                "TRANSPORT", System.getProperty("proxy.transport", "auto")));
        all.putAll(env);
        return new ProxyServer(ProxyConfig.fromEnvironment(all)).start();
    }

    @AfterAll
    static void stop() {
        proxy.close();
        backend.close();
        zipkin.close();
    }

    @AfterEach
    void closeChannels() {
        channels.forEach(ManagedChannel::shutdownNow);
    }

    private ManagedChannel channel(InetSocketAddress address, String authority) {
        ManagedChannel channel = NettyChannelBuilder.forAddress(address).usePlaintext().overrideAuthority(authority)
                .maxInboundMessageSize(32 << 20).build();
        channels.add(channel);
        return channel;
    }

    private ManagedChannel viaInbound() {
        return channel(proxy.inboundAddress(), "localhost");
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    static String hex(int bytes) {
        byte[] id = random(bytes);
        id[0] |= 0x10;
        return java.util.HexFormat.of().formatHex(id);
    }

    private static Metadata b3(String traceId, String spanId, String sampled) {
        Metadata m = new Metadata();
        m.put(Metadata.Key.of("x-b3-traceid", Metadata.ASCII_STRING_MARSHALLER), traceId);
        m.put(Metadata.Key.of("x-b3-spanid", Metadata.ASCII_STRING_MARSHALLER), spanId);
        if (sampled != null) {
            m.put(Metadata.Key.of("x-b3-sampled", Metadata.ASCII_STRING_MARSHALLER), sampled);
        }
        return m;
    }

    private static String header(Metadata headers, String name) {
        return headers.get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
    }

    private static byte[] unary(io.grpc.Channel channel, byte[] request, Metadata headers) {
        io.grpc.Channel c = headers == null ? channel
                : io.grpc.ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
        return ClientCalls.blockingUnaryCall(c, TestGrpcBackend.UNARY, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), request);
    }

    @Test
    void unary_calls_with_custom_metadata_and_trailers_pass_through() {
        ManagedChannel channel = viaInbound();
        Metadata headers = new Metadata();
        headers.put(TestGrpcBackend.CUSTOM, "hello");
        var trailers = new java.util.concurrent.atomic.AtomicReference<Metadata>();
        io.grpc.Channel c = io.grpc.ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers),
                MetadataUtils.newCaptureMetadataInterceptor(new java.util.concurrent.atomic.AtomicReference<>(), trailers));
        byte[] request = random(1000);
        for (int i = 0; i < 50; i++) { // one connection, many streams
            assertThat(ClientCalls.blockingUnaryCall(c, TestGrpcBackend.UNARY, CallOptions.DEFAULT, request)).isEqualTo(request);
        }
        assertThat(header(backend.lastHeaders.get("Unary"), "x-custom")).isEqualTo("hello");
        assertThat(trailers.get().get(TestGrpcBackend.CUSTOM_TRAILER)).isEqualTo("echo-hello");
    }

    @Test
    void large_messages_go_both_ways_under_flow_control() {
        byte[] request = random(8 << 20);
        assertThat(unary(viaInbound(), request, null)).isEqualTo(request);
    }

    @Test
    void server_client_and_bidi_streaming_work() throws Exception {
        ManagedChannel channel = viaInbound();
        byte[] ask = ByteBuffer.allocate(8).putInt(2000).putInt(4096).array();
        Iterator<byte[]> stream = ClientCalls.blockingServerStreamingCall(channel, TestGrpcBackend.SERVER_STREAM, CallOptions.DEFAULT, ask);
        int count = 0;
        while (stream.hasNext()) {
            assertThat(stream.next()).hasSize(4096);
            count++;
        }
        assertThat(count).isEqualTo(2000);

        CompletableFuture<byte[]> total = new CompletableFuture<>();
        StreamObserver<byte[]> upload = ClientCalls.asyncClientStreamingCall(channel.newCall(TestGrpcBackend.CLIENT_STREAM, CallOptions.DEFAULT),
                observer(total));
        for (int i = 0; i < 500; i++) {
            upload.onNext(new byte[10_000]);
        }
        upload.onCompleted();
        assertThat(new String(total.get(20, TimeUnit.SECONDS))).isEqualTo("5000000");

        List<byte[]> echoed = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Void> finished = new CompletableFuture<>();
        StreamObserver<byte[]> bidi = ClientCalls.asyncBidiStreamingCall(channel.newCall(TestGrpcBackend.BIDI, CallOptions.DEFAULT),
                new StreamObserver<>() {
                    public void onNext(byte[] value) {
                        echoed.add(value);
                    }

                    public void onError(Throwable t) {
                        finished.completeExceptionally(t);
                    }

                    public void onCompleted() {
                        finished.complete(null);
                    }
                });
        for (int i = 0; i < 300; i++) {
            bidi.onNext(Integer.toString(i).getBytes());
        }
        bidi.onCompleted();
        finished.get(20, TimeUnit.SECONDS);
        assertThat(echoed).hasSize(300);
        assertThat(new String(echoed.get(299))).isEqualTo("299");
    }

    private static StreamObserver<byte[]> observer(CompletableFuture<byte[]> result) {
        return new StreamObserver<>() {
            public void onNext(byte[] value) {
                result.complete(value);
            }

            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            public void onCompleted() {
            }
        };
    }

    @Test
    void error_statuses_and_their_trailers_pass_unchanged() {
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(viaInbound(), TestGrpcBackend.FAIL, CallOptions.DEFAULT, "x".getBytes()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(e.getStatus().getDescription()).isEqualTo("no more: x");
                    assertThat(e.getTrailers().get(TestGrpcBackend.CUSTOM_TRAILER)).isEqualTo("failed-on-purpose");
                });
    }

    @Test
    void the_deadline_is_passed_through() {
        ClientCalls.blockingUnaryCall(viaInbound(), TestGrpcBackend.UNARY, CallOptions.DEFAULT.withDeadlineAfter(4, TimeUnit.SECONDS), new byte[1]);
        assertThat(backend.lastDeadlineMillis.get("Unary")).isBetween(3000L, 4000L);
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(viaInbound(), TestGrpcBackend.SLOW,
                CallOptions.DEFAULT.withDeadlineAfter(300, TimeUnit.MILLISECONDS), "2000".getBytes()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    }

    @Test
    void a_client_cancel_reaches_the_server_and_the_proxy_lets_go() throws Exception {
        backend.hangCancelled = new java.util.concurrent.CountDownLatch(1);
        ClientCall<byte[], byte[]> call = viaInbound().newCall(TestGrpcBackend.HANG, CallOptions.DEFAULT);
        Iterator<byte[]> stream = ClientCalls.blockingServerStreamingCall(call, "first".getBytes());
        assertThat(new String(stream.next())).isEqualTo("first");
        call.cancel("the client changed its mind", null);
        assertThat(backend.hangCancelled.await(10, TimeUnit.SECONDS)).as("server saw the cancel").isTrue();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> proxy.metrics().inFlight.get() == 0);
    }

    @Test
    void a_sampled_b3_call_gets_a_server_span_and_the_app_becomes_its_child() {
        String traceId = hex(16);
        String callerSpan = hex(8);
        unary(viaInbound(), "hi".getBytes(), b3(traceId, callerSpan, "1"));
        Metadata seen = backend.lastHeaders.get("Unary");
        String forwardedSpan = header(seen, "x-b3-spanid");
        assertThat(header(seen, "x-b3-traceid")).isEqualTo(traceId);
        assertThat(forwardedSpan).isNotEqualTo(callerSpan).matches("[0-9a-f]{16}");
        assertThat(header(seen, "x-b3-parentspanid")).isEqualTo(callerSpan);
        assertThat(header(seen, "x-b3-sampled")).isEqualTo("1");

        List<StoredSpan> spans = Traces.await(zipkin.api(), traceId, s -> !s.isEmpty(), Duration.ofSeconds(20));
        assertThat(spans).hasSize(1);
        StoredSpan span = spans.get(0);
        assertThat(span.id()).as("the app's parent is the proxy's span").isEqualTo(forwardedSpan);
        assertThat(span.parentId()).isEqualTo(callerSpan);
        assertThat(span.serviceName()).isEqualTo("test-proxy");
        assertThat(span.kind()).isEqualTo("SERVER");
        assertThat(span.name()).isEqualTo("post /test.echo/unary");
        assertThat(span.tags()).containsEntry("emojivoto.proxy.direction", "inbound").containsEntry("http.request.method", "POST")
                .containsEntry("url.path", "/test.Echo/Unary").containsEntry("http.response.status_code", "200")
                .containsEntry("rpc.grpc.status_code", "0").containsEntry("http.request.body.size", "7")
                .containsEntry("http.response.body.size", "7").containsEntry("server.address", "localhost")
                .containsEntry("client.address", "127.0.0.1").containsKey("client.port").doesNotContainKey("error");
    }

    private static HttpResponse<String> admin(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.adminAddress().getPort() + path));
        request = json == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void with_propagation_off_the_incoming_span_id_goes_on_unchanged_and_the_proxy_still_reports_its_span() throws Exception {
        assertThat(admin("GET", "/faults", null).body()).isEqualTo("{\"part\":\"test-proxy\",\"switches\":[{\"name\":"
                + "\"propagation\",\"value\":\"on\",\"start\":\"on\",\"allowed\":\"on or off\",\"emoji\":\"\",\"hidden\":\"false\"}]}\n");
        assertThat(admin("POST", "/faults/propagation", "{\"value\":\"off\"}").statusCode()).isEqualTo(200);
        try {
            String traceId = hex(16);
            String callerSpan = hex(8);
            unary(viaInbound(), "hi".getBytes(), b3(traceId, callerSpan, "1"));
            Metadata seen = backend.lastHeaders.get("Unary");
            assertThat(header(seen, "x-b3-spanid")).as("the caller's span id, not the proxy's").isEqualTo(callerSpan);
            StoredSpan span = Traces.await(zipkin.api(), traceId, s -> !s.isEmpty(), Duration.ofSeconds(20)).get(0);
            assertThat(span.parentId()).isEqualTo(callerSpan);
            assertThat(span.id()).isNotEqualTo(callerSpan);
            assertThat(span.tags()).containsEntry("emojivoto.fault", "propagation-off");
        } finally {
            assertThat(admin("DELETE", "/faults", null).body()).contains("\"value\":\"on\"");
        }
        String traceId = hex(16);
        unary(viaInbound(), "hi".getBytes(), b3(traceId, hex(8), "1"));
        assertThat(Traces.await(zipkin.api(), traceId, s -> !s.isEmpty(), Duration.ofSeconds(20)).get(0).tags())
                .as("back on: no fault tag").doesNotContainKey("emojivoto.fault");
    }

    @Test
    void propagation_off_set_blind_breaks_the_trace_the_same_but_tags_nothing_and_lists_hidden() throws Exception {
        assertThat(admin("POST", "/faults/propagation", "{\"value\":\"off\",\"blind\":true}").statusCode()).isEqualTo(200);
        try {
            assertThat(admin("GET", "/faults", null).body()).contains("\"value\":\"hidden\"");
            assertThat(admin("GET", "/faults?reveal=true", null).body()).contains("\"value\":\"off\"");
            String traceId = hex(16);
            String callerSpan = hex(8);
            unary(viaInbound(), "hi".getBytes(), b3(traceId, callerSpan, "1"));
            assertThat(header(backend.lastHeaders.get("Unary"), "x-b3-spanid")).isEqualTo(callerSpan);
            StoredSpan span = Traces.await(zipkin.api(), traceId, s -> !s.isEmpty(), Duration.ofSeconds(20)).get(0);
            assertThat(span.tags()).doesNotContainKey("emojivoto.fault");
        } finally {
            admin("DELETE", "/faults", null);
        }
        assertThat(admin("POST", "/faults/propagation", "{\"value\":\"off\",\"emoji\":\":ghost:\"}").body())
                .as("a proxy's switch acts on every request").contains("cannot be limited to one emoji");
        assertThat(admin("GET", "/faults", null).body()).contains("\"value\":\"on\"");
    }

    @Test
    void a_bad_switch_value_is_a_400_json_error_and_the_switch_stays() throws Exception {
        for (String bad : new String[] {"{\"value\":\"maybe\"}", "{\"value\":true}", "{}", "not json", ""}) {
            HttpResponse<String> response = admin("POST", "/faults/propagation", bad);
            assertThat(response.statusCode()).as(bad).isEqualTo(400);
            assertThat(response.body()).as(bad).startsWith("{\"error\":\"propagation must be on or off");
        }
        assertThat(admin("POST", "/faults/brakes", "{\"value\":\"on\"}").body()).contains("test-proxy has no switch 'brakes'");
        assertThat(admin("PUT", "/faults", "{}").statusCode()).isEqualTo(405);
        assertThat(admin("GET", "/faults", null).body()).contains("\"value\":\"on\"");
    }

    @Test
    void single_b3_and_w3c_contexts_are_rewritten_in_their_own_format() {
        String t1 = hex(16);
        String s1 = hex(8);
        Metadata single = new Metadata();
        single.put(Metadata.Key.of("b3", Metadata.ASCII_STRING_MARSHALLER), t1 + "-" + s1 + "-1");
        unary(viaInbound(), new byte[1], single);
        String forwarded = header(backend.lastHeaders.get("Unary"), "b3");
        assertThat(forwarded).startsWith(t1 + "-").endsWith("-1-" + s1);
        assertThat(header(backend.lastHeaders.get("Unary"), "x-b3-traceid")).as("no format added").isNull();
        assertThat(Traces.await(zipkin.api(), t1, s -> !s.isEmpty(), Duration.ofSeconds(20)).get(0).id())
                .isEqualTo(forwarded.split("-")[1]);

        String t2 = hex(16);
        String s2 = hex(8);
        Metadata w3c = new Metadata();
        w3c.put(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER), "00-" + t2 + "-" + s2 + "-01");
        unary(viaInbound(), new byte[1], w3c);
        String traceparent = header(backend.lastHeaders.get("Unary"), "traceparent");
        assertThat(traceparent).startsWith("00-" + t2 + "-").endsWith("-01").doesNotContain(s2);
        StoredSpan span = Traces.await(zipkin.api(), t2, s -> !s.isEmpty(), Duration.ofSeconds(20)).get(0);
        assertThat(span.parentId()).isEqualTo(s2);
        assertThat(span.id()).isEqualTo(traceparent.split("-")[2]);
    }

    @Test
    void outbound_routes_by_authority_and_reports_a_client_span() {
        String traceId = hex(16);
        String callerSpan = hex(8);
        ManagedChannel channel = channel(proxy.outboundAddress(), "echo-svc:8080");
        unary(channel, "out".getBytes(), b3(traceId, callerSpan, "1"));
        StoredSpan span = Traces.await(zipkin.api(), traceId, s -> !s.isEmpty(), Duration.ofSeconds(20)).get(0);
        assertThat(span.kind()).isEqualTo("CLIENT");
        assertThat(span.tags()).containsEntry("emojivoto.proxy.direction", "outbound").containsEntry("server.address", "echo-svc:8080");
        assertThat(span.parentId()).isEqualTo(callerSpan);

        ManagedChannel unknown = channel(proxy.outboundAddress(), "nowhere:1");
        assertThatThrownBy(() -> unary(unknown, new byte[1], null))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }

    @Test
    void unsampled_and_context_free_calls_are_forwarded_untouched_and_report_nothing() {
        String unsampled = hex(16);
        String span = hex(8);
        unary(viaInbound(), new byte[1], b3(unsampled, span, "0"));
        Metadata seen = backend.lastHeaders.get("Unary");
        assertThat(header(seen, "x-b3-spanid")).isEqualTo(span);
        assertThat(header(seen, "x-b3-parentspanid")).isNull();
        String deferred = hex(16);
        unary(viaInbound(), new byte[1], b3(deferred, span, null));
        assertThat(header(backend.lastHeaders.get("Unary"), "x-b3-spanid")).isEqualTo(span);
        unary(viaInbound(), new byte[1], null);
        assertThat(header(backend.lastHeaders.get("Unary"), "x-b3-traceid")).isNull();

        String barrier = hex(16);
        unary(viaInbound(), new byte[1], b3(barrier, hex(8), "1"));
        Traces.await(zipkin.api(), barrier, s -> !s.isEmpty(), Duration.ofSeconds(20));
        assertThat(zipkin.api().trace(unsampled)).isEmpty();
        assertThat(zipkin.api().trace(deferred)).isEmpty();
    }

    @Test
    void malformed_trace_headers_are_forwarded_as_they_came_and_counted() {
        double before = proxy.metrics().malformedTraceHeaders();
        List<Metadata> bad = MalformedMetadata.generate();
        for (Metadata headers : bad) {
            unary(viaInbound(), new byte[1], headers);
            Metadata seen = backend.lastHeaders.get("Unary");
            for (String key : headers.keys()) {
                assertThat(seen.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER)))
                        .as(key + " in " + headers)
                        .containsExactlyElementsOf(headers.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER)));
            }
        }
        assertThat(proxy.metrics().malformedTraceHeaders() - before).isEqualTo(bad.size());
    }

    @Test
    void an_upstream_that_is_down_is_unavailable_and_a_slow_one_is_deadline_exceeded() throws Exception {
        try (ProxyServer toNowhere = startProxy("p2", Map.of("INBOUND_LISTEN", "127.0.0.1:0",
                "APP_ADDRESS", "127.0.0.1:" + FreePort.next(), "ZIPKIN_ENDPOINT", ""));
             ProxyServer impatient = startProxy("p3", Map.of("INBOUND_LISTEN", "127.0.0.1:0",
                     "APP_ADDRESS", "127.0.0.1:" + backend.port(), "RESPONSE_TIMEOUT", "300ms", "ZIPKIN_ENDPOINT", ""))) {
            assertThatThrownBy(() -> unary(channel(toNowhere.inboundAddress(), "x"), new byte[1], null))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
            long start = System.nanoTime();
            assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel(impatient.inboundAddress(), "x"), TestGrpcBackend.SLOW,
                    CallOptions.DEFAULT, "3000".getBytes()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void a_client_stream_that_stalls_is_ended_with_deadline_exceeded() throws Exception {
        try (ProxyServer strict = startProxy("p4", Map.of("INBOUND_LISTEN", "127.0.0.1:0",
                "APP_ADDRESS", "127.0.0.1:" + backend.port(), "BODY_TIMEOUT", "500ms", "ZIPKIN_ENDPOINT", ""))) {
            CompletableFuture<byte[]> total = new CompletableFuture<>();
            StreamObserver<byte[]> upload = ClientCalls.asyncClientStreamingCall(
                    channel(strict.inboundAddress(), "x").newCall(TestGrpcBackend.CLIENT_STREAM, CallOptions.DEFAULT), observer(total));
            long start = System.nanoTime();
            upload.onNext(new byte[100]); // and then nothing more, never a half-close
            assertThatThrownBy(() -> total.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(StatusRuntimeException.class)
                    .satisfies(e -> assertThat(((StatusRuntimeException) e.getCause()).getStatus().getCode())
                            .isEqualTo(Status.Code.DEADLINE_EXCEEDED));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(400), Duration.ofSeconds(5));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> strict.metrics().inFlight.get() == 0);
        }
    }

    @Test
    void a_dead_collector_slows_nothing_and_the_dropped_spans_are_counted() throws Exception {
        try (ProxyServer noCollector = startProxy("p4", Map.of("INBOUND_LISTEN", "127.0.0.1:0",
                "APP_ADDRESS", "127.0.0.1:" + backend.port(), "ZIPKIN_ENDPOINT", "http://127.0.0.1:" + FreePort.next() + "/api/v2/spans"))) {
            ManagedChannel channel = channel(noCollector.inboundAddress(), "x");
            for (int i = 0; i < 200; i++) {
                long start = System.nanoTime();
                unary(channel, new byte[10], b3(hex(16), hex(8), "1"));
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
            }
            Awaitility.await().atMost(Duration.ofSeconds(15))
                    .until(() -> noCollector.metrics().scrape().lines().anyMatch(l -> l.startsWith("zipkin_reporter_spans_dropped_total") && !l.endsWith(" 0.0")));
        }
    }
}
