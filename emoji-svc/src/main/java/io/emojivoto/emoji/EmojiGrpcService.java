package io.emojivoto.emoji;

import io.emojivoto.api.EmojiTable;
import io.emojivoto.common.CurrentSpan;
import io.emojivoto.common.faults.CallFaults;
import io.emojivoto.api.v1.Emoji;
import io.emojivoto.api.v1.EmojiServiceGrpc;
import io.emojivoto.api.v1.FindByShortcodeRequest;
import io.emojivoto.api.v1.FindByShortcodeResponse;
import io.emojivoto.api.v1.ListAllEmojiRequest;
import io.emojivoto.api.v1.ListAllEmojiResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.time.Duration;
import io.emojivoto.switches.Switches;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * The emoji catalogue: a fixed, in-memory list, so it answers the same way every time, unless a
 * fault switch is on: {@code delay} (every call) or {@code failure-rate} (FindByShortcode), both off at
 * start ({@link CallFaults}), and then the span of the call says so with a {@code fault} tag. With
 * voting-svc's alike, a slow hop or an error can start in either backend service, and a learner finds
 * which one from the trace.
 */
@Service
public class EmojiGrpcService extends EmojiServiceGrpc.EmojiServiceImplBase {

    private static final io.grpc.StatusRuntimeException GAVE_UP =
            Status.CANCELLED.withDescription("the caller gave up").asRuntimeException();

    private final EmojiTable table = EmojiTable.get();
    private final ListAllEmojiResponse all;
    private final CallFaults faults;
    private final Tracer tracer;

    EmojiGrpcService(Switches switches, Tracer tracer) {
        this.faults = new CallFaults(switches, Duration.ZERO, 0);
        this.tracer = tracer;
        List<Emoji> listed = table.listed().stream().map(EmojiGrpcService::toProto).toList();
        this.all = ListAllEmojiResponse.newBuilder().addAllList(listed).build();
    }

    @Override
    public void listAll(ListAllEmojiRequest request, StreamObserver<ListAllEmojiResponse> responseObserver) {
        if (!faults.waitOutDelay(CurrentSpan.of(tracer))) {
            responseObserver.onError(GAVE_UP);
            return;
        }
        responseObserver.onNext(all);
        responseObserver.onCompleted();
    }

    /** An unknown shortcode is an empty answer, as in the original, not an error status. */
    @Override
    public void findByShortcode(FindByShortcodeRequest request,
                                StreamObserver<FindByShortcodeResponse> responseObserver) {
        Span span = CurrentSpan.of(tracer);
        if (faults.failsNow(span)) {
            responseObserver.onError(Status.INTERNAL.withDescription(faults.failureRate.hidden() ? "ERROR"
                    : "FindByShortcode fails on purpose (emoji-svc's failure-rate switch)").asRuntimeException());
            return;
        }
        if (!faults.waitOutDelay(span)) {
            responseObserver.onError(GAVE_UP);
            return;
        }
        FindByShortcodeResponse.Builder response = FindByShortcodeResponse.newBuilder();
        table.findListed(request.getShortcode()).map(EmojiGrpcService::toProto).ifPresent(response::setEmoji);
        responseObserver.onNext(response.build());
        responseObserver.onCompleted();
    }

    private static Emoji toProto(EmojiTable.Entry entry) {
        return Emoji.newBuilder().setShortcode(entry.shortcode()).setUnicode(entry.unicode()).build();
    }
}
