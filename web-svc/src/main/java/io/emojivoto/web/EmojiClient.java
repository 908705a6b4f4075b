package io.emojivoto.web;

import io.emojivoto.api.v1.Emoji;
import io.emojivoto.api.v1.EmojiServiceGrpc;
import io.emojivoto.api.v1.FindByShortcodeRequest;
import io.emojivoto.api.v1.ListAllEmojiRequest;
import io.grpc.ManagedChannel;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/** emoji-svc, each call with the configured deadline. */
@Component
public class EmojiClient {

    private final EmojiServiceGrpc.EmojiServiceBlockingStub stub;
    private final long deadlineMillis;

    public EmojiClient(@Qualifier("emojiChannel") ManagedChannel channel, WebProperties properties) {
        this.stub = EmojiServiceGrpc.newBlockingStub(channel);
        this.deadlineMillis = properties.grpcDeadline().toMillis();
    }

    public List<Emoji> listAll() {
        return stub.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
                .listAll(ListAllEmojiRequest.getDefaultInstance()).getListList();
    }

    public Optional<Emoji> findByShortcode(String shortcode) {
        var response = stub.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
                .findByShortcode(FindByShortcodeRequest.newBuilder().setShortcode(shortcode).build());
        return response.hasEmoji() ? Optional.of(response.getEmoji()) : Optional.empty();
    }
}
