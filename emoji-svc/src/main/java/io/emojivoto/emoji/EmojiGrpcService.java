package io.emojivoto.emoji;

import io.emojivoto.api.EmojiTable;
import io.emojivoto.api.v1.Emoji;
import io.emojivoto.api.v1.EmojiServiceGrpc;
import io.emojivoto.api.v1.FindByShortcodeRequest;
import io.emojivoto.api.v1.FindByShortcodeResponse;
import io.emojivoto.api.v1.ListAllEmojiRequest;
import io.emojivoto.api.v1.ListAllEmojiResponse;
import io.grpc.stub.StreamObserver;
import java.util.List;
import org.springframework.stereotype.Service;

/** The emoji catalogue: a fixed, in-memory list, so it answers the same way every time. */
@Service
public class EmojiGrpcService extends EmojiServiceGrpc.EmojiServiceImplBase {

    private final EmojiTable table = EmojiTable.get();
    private final ListAllEmojiResponse all;

    public EmojiGrpcService() {
        List<Emoji> listed = table.listed().stream().map(EmojiGrpcService::toProto).toList();
        this.all = ListAllEmojiResponse.newBuilder().addAllList(listed).build();
    }

    @Override
    public void listAll(ListAllEmojiRequest request, StreamObserver<ListAllEmojiResponse> responseObserver) {
        responseObserver.onNext(all);
        responseObserver.onCompleted();
    }

    /** An unknown shortcode is an empty answer, as in the original, not an error status. */
    @Override
    public void findByShortcode(FindByShortcodeRequest request,
                                StreamObserver<FindByShortcodeResponse> responseObserver) {
        FindByShortcodeResponse.Builder response = FindByShortcodeResponse.newBuilder();
        table.findListed(request.getShortcode()).map(EmojiGrpcService::toProto).ifPresent(response::setEmoji);
        responseObserver.onNext(response.build());
        responseObserver.onCompleted();
    }

    private static Emoji toProto(EmojiTable.Entry entry) {
        return Emoji.newBuilder().setShortcode(entry.shortcode()).setUnicode(entry.unicode()).build();
    }
}
