package io.emojivoto.emoji;

import io.emojivoto.api.EmojiTable;
import io.emojivoto.api.v1.Emoji;
import io.emojivoto.api.v1.EmojiServiceGrpc;
import io.emojivoto.api.v1.FindByShortcodeRequest;
import io.emojivoto.api.v1.FindByShortcodeResponse;
import io.emojivoto.api.v1.ListAllEmojiRequest;
import io.emojivoto.api.v1.ListAllEmojiResponse;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Service;

/**
 * The emoji catalogue: a fixed, in-memory list, so it answers the same way every time, unless a
 * fault switch is on ({@link EmojiFaults}): then the span of the call says so with a {@code fault} tag.
 */
@Service
public class EmojiGrpcService extends EmojiServiceGrpc.EmojiServiceImplBase {

    private final EmojiTable table = EmojiTable.get();
    private final ListAllEmojiResponse all;
    private final EmojiFaults faults;
    private final Tracer tracer;

    EmojiGrpcService(EmojiFaults faults, Tracer tracer) {
        this.faults = faults;
        this.tracer = tracer;
        List<Emoji> listed = table.listed().stream().map(EmojiGrpcService::toProto).toList();
        this.all = ListAllEmojiResponse.newBuilder().addAllList(listed).build();
    }

    @Override
    public void listAll(ListAllEmojiRequest request, StreamObserver<ListAllEmojiResponse> responseObserver) {
        if (!delayed(responseObserver)) {
            return;
        }
        responseObserver.onNext(all);
        responseObserver.onCompleted();
    }

    /** An unknown shortcode is an empty answer, as in the original, not an error status. */
    @Override
    public void findByShortcode(FindByShortcodeRequest request,
                                StreamObserver<FindByShortcodeResponse> responseObserver) {
        if (ThreadLocalRandom.current().nextDouble() < faults.failureRate.get()) {
            span().tag("fault", "failure-rate");
            responseObserver.onError(Status.INTERNAL
                    .withDescription("FindByShortcode fails on purpose (emoji-svc's failure-rate switch)").asRuntimeException());
            return;
        }
        if (!delayed(responseObserver)) {
            return;
        }
        FindByShortcodeResponse.Builder response = FindByShortcodeResponse.newBuilder();
        table.findListed(request.getShortcode()).map(EmojiGrpcService::toProto).ifPresent(response::setEmoji);
        responseObserver.onNext(response.build());
        responseObserver.onCompleted();
    }

    /**
     * Waits out the delay switch on the calling thread, inside the call's span; false (and the call
     * ended as cancelled) when the caller gave up meanwhile.
     */
    private boolean delayed(StreamObserver<?> responseObserver) {
        Duration delay = faults.delay.get();
        if (delay.isZero()) {
            return true;
        }
        span().tag("fault", "delay");
        try {
            TimeUnit.NANOSECONDS.sleep(delay.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (Context.current().isCancelled() || Thread.currentThread().isInterrupted()) {
            responseObserver.onError(Status.CANCELLED.withDescription("the caller gave up").asRuntimeException());
            return false;
        }
        return true;
    }

    /** The span of this call, opened by Spring gRPC's observation; a no-op one outside an observed call. */
    private Span span() {
        Span span = tracer.currentSpan();
        return span == null ? Span.NOOP : span;
    }

    private static Emoji toProto(EmojiTable.Entry entry) {
        return Emoji.newBuilder().setShortcode(entry.shortcode()).setUnicode(entry.unicode()).build();
    }
}
