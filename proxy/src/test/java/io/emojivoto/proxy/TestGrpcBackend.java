package io.emojivoto.proxy;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real gRPC server (grpc-netty, real socket) with unary, streaming, slow and failing methods over
 * raw bytes, so that the proxy is tested with every shape of gRPC call without extra protos.
 */
final class TestGrpcBackend implements AutoCloseable {

    static final String SERVICE = "test.Echo";
    static final Metadata.Key<String> CUSTOM = Metadata.Key.of("x-custom", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> CUSTOM_TRAILER = Metadata.Key.of("x-custom-trailer", Metadata.ASCII_STRING_MARSHALLER);

    static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    static MethodDescriptor<byte[], byte[]> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<byte[], byte[]>newBuilder().setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
    }

    static final MethodDescriptor<byte[], byte[]> UNARY = method("Unary", MethodDescriptor.MethodType.UNARY);
    static final MethodDescriptor<byte[], byte[]> SERVER_STREAM = method("ServerStream", MethodDescriptor.MethodType.SERVER_STREAMING);
    static final MethodDescriptor<byte[], byte[]> CLIENT_STREAM = method("ClientStream", MethodDescriptor.MethodType.CLIENT_STREAMING);
    static final MethodDescriptor<byte[], byte[]> BIDI = method("Bidi", MethodDescriptor.MethodType.BIDI_STREAMING);
    static final MethodDescriptor<byte[], byte[]> SLOW = method("Slow", MethodDescriptor.MethodType.UNARY);
    static final MethodDescriptor<byte[], byte[]> FAIL = method("Fail", MethodDescriptor.MethodType.UNARY);
    static final MethodDescriptor<byte[], byte[]> HANG = method("Hang", MethodDescriptor.MethodType.SERVER_STREAMING);

    /** Request headers of the last call, by method name. */
    final Map<String, Metadata> lastHeaders = new ConcurrentHashMap<>();
    final Map<String, Long> lastDeadlineMillis = new ConcurrentHashMap<>();
    volatile CountDownLatch hangCancelled = new CountDownLatch(1);
    private final Server server;

    TestGrpcBackend() {
        ServerServiceDefinition service = ServerServiceDefinition.builder(SERVICE)
                .addMethod(UNARY, ServerCalls.asyncUnaryCall((req, out) -> {
                    out.onNext(req);
                    out.onCompleted();
                }))
                .addMethod(SERVER_STREAM, ServerCalls.asyncServerStreamingCall((req, out) -> {
                    // request: 4 bytes count, 4 bytes size
                    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(req);
                    int count = b.getInt();
                    int size = b.getInt();
                    for (int i = 0; i < count; i++) {
                        out.onNext(new byte[size]);
                    }
                    out.onCompleted();
                }))
                .addMethod(CLIENT_STREAM, ServerCalls.asyncClientStreamingCall((StreamObserver<byte[]> out) -> new StreamObserver<byte[]>() {
                    long total;

                    @Override
                    public void onNext(byte[] value) {
                        total += value.length;
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                        out.onNext(Long.toString(total).getBytes());
                        out.onCompleted();
                    }
                }))
                .addMethod(BIDI, ServerCalls.asyncBidiStreamingCall((StreamObserver<byte[]> out) -> new StreamObserver<byte[]>() {
                    @Override
                    public void onNext(byte[] value) {
                        out.onNext(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                        out.onCompleted();
                    }
                }))
                .addMethod(SLOW, ServerCalls.asyncUnaryCall((req, out) -> {
                    // Answers after the requested delay, unless the call is cancelled first (gRPC cancels
                    // the context on the transport thread): then there is nobody to answer.
                    CountDownLatch cancelled = new CountDownLatch(1);
                    Context.current().addListener(c -> cancelled.countDown(), Runnable::run);
                    try {
                        if (cancelled.await(Long.parseLong(new String(req)), TimeUnit.MILLISECONDS)) {
                            return;
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    out.onNext(req);
                    out.onCompleted();
                }))
                .addMethod(FAIL, ServerCalls.asyncUnaryCall((req, out) -> {
                    Metadata trailers = new Metadata();
                    trailers.put(CUSTOM_TRAILER, "failed-on-purpose");
                    out.onError(Status.RESOURCE_EXHAUSTED.withDescription("no more: " + new String(req)).asRuntimeException(trailers));
                }))
                .addMethod(HANG, ServerCalls.asyncServerStreamingCall((req, out) -> {
                    out.onNext(req); // headers and a first message go out; then nothing until cancelled
                    Context.current().addListener(ctx -> hangCancelled.countDown(), Runnable::run);
                }))
                .build();
        ServerInterceptor recorder = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                String name = call.getMethodDescriptor().getBareMethodName();
                lastHeaders.put(name, headers);
                if (Context.current().getDeadline() != null) {
                    lastDeadlineMillis.put(name, Context.current().getDeadline().timeRemaining(TimeUnit.MILLISECONDS));
                }
                String custom = headers.get(CUSTOM);
                ServerCall<Q, R> echoing = new io.grpc.ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                    @Override
                    public void close(Status status, Metadata trailers) {
                        if (custom != null) {
                            trailers.put(CUSTOM_TRAILER, "echo-" + custom);
                        }
                        super.close(status, trailers);
                    }
                };
                return Contexts.interceptCall(Context.current(), echoing, headers, next);
            }
        };
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .maxInboundMessageSize(32 << 20)
                    .addService(ServerInterceptors.intercept(service, recorder))
                    .build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
