package io.emojivoto.web;

import io.emojivoto.api.EmojiTable;
import io.emojivoto.api.v1.ResultsRequest;
import io.emojivoto.api.v1.VoteRequest;
import io.emojivoto.api.v1.VoteResponse;
import io.emojivoto.api.v1.VotingResult;
import io.emojivoto.api.v1.VotingServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * voting-svc. A vote is the Vote RPC of its emoji (VoteJoy for :joy:), looked up once from the
 * service descriptor, so each emoji is its own route and its own span name.
 */
@Component
public class VotingClient {

    private final ManagedChannel channel;
    private final long deadlineMillis;
    private final Map<String, MethodDescriptor<VoteRequest, VoteResponse>> voteMethodByShortcode = new HashMap<>();

    @SuppressWarnings("unchecked")
    public VotingClient(@Qualifier("votingChannel") ManagedChannel channel, WebProperties properties) {
        this.channel = channel;
        this.deadlineMillis = properties.grpcDeadline().toMillis();
        Map<String, MethodDescriptor<?, ?>> byName = new HashMap<>();
        VotingServiceGrpc.getServiceDescriptor().getMethods().forEach(m -> byName.put(m.getBareMethodName(), m));
        for (EmojiTable.Entry entry : EmojiTable.get().all()) {
            voteMethodByShortcode.put(entry.shortcode(),
                    (MethodDescriptor<VoteRequest, VoteResponse>) byName.get(entry.voteMethodName()));
        }
    }

    public void vote(String shortcode) {
        MethodDescriptor<VoteRequest, VoteResponse> method = voteMethodByShortcode.get(shortcode);
        if (method == null) {
            throw new IllegalArgumentException("no Vote RPC for " + shortcode);
        }
        ClientCalls.blockingUnaryCall(channel, method, callOptions(), VoteRequest.getDefaultInstance());
    }

    public List<VotingResult> results() {
        return VotingServiceGrpc.newBlockingStub(channel).withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
                .results(ResultsRequest.getDefaultInstance()).getResultsList();
    }

    private CallOptions callOptions() {
        return CallOptions.DEFAULT.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS);
    }
}
