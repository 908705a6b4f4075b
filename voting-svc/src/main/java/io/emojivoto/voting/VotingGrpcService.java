package io.emojivoto.voting;

import io.emojivoto.api.EmojiTable;
import io.emojivoto.common.CurrentSpan;
import io.emojivoto.common.faults.CallFaults;
import io.emojivoto.spanvocabulary.SpanVocabulary;
import io.emojivoto.api.v1.ResultsRequest;
import io.emojivoto.api.v1.ResultsResponse;
import io.emojivoto.api.v1.VoteRequest;
import io.emojivoto.api.v1.VoteResponse;
import io.emojivoto.api.v1.VotingResult;
import io.emojivoto.api.v1.VotingServiceGrpc;
import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.emojivoto.switches.Switches;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * VotingService: one Vote RPC per emoji plus Results. Instead of a hundred hand-written methods,
 * each Vote RPC of the service descriptor is bound to the same handler with the emoji that the
 * emoji table names for it; the builder refuses to start if any RPC of the proto is left unbound.
 *
 * <p>The tracing here is the span API at work in a service: the server span of each call is made by
 * Spring gRPC's observation interceptor, and {@link #vote} adds to it what only this code knows (the
 * emoji, the moment the vote counted, a fault it injected).
 */
@Service
public class VotingGrpcService implements BindableService {

    static final String FAILING_EMOJI = ":doughnut:";
    private static final Logger log = LoggerFactory.getLogger(VotingGrpcService.class);

    private final Poll poll;
    private final CallFaults faults;
    private final Tracer tracer;
    private final Map<String, Counter> votesCounters = new HashMap<>();

    VotingGrpcService(Poll poll, Switches switches, VotingProperties properties, Tracer tracer, MeterRegistry meters) {
        this.poll = poll;
        // delay, added to every vote, and failure-rate, how often a vote for the doughnut fails:
        // started at ARTIFICIAL_DELAY and FAILURE_RATE; either can be limited to one emoji (--emoji).
        this.faults = new CallFaults(switches, properties.artificialDelay(), properties.failureRate(),
                EmojiTable.get().listed().stream().map(EmojiTable.Entry::shortcode).collect(java.util.stream.Collectors.toSet()));
        this.tracer = tracer;
        EmojiTable.get().all().forEach(entry -> votesCounters.put(entry.shortcode(),
                Counter.builder("emojivoto.votes").description("Number of emoji votes")
                        .tag("emoji", entry.shortcode()).register(meters)));
    }

    @Override
    public ServerServiceDefinition bindService() {
        Map<String, String> emojiByVoteMethod = new HashMap<>();
        EmojiTable.get().all().forEach(entry -> emojiByVoteMethod.put(entry.voteMethodName(), entry.shortcode()));

        ServerServiceDefinition.Builder service = ServerServiceDefinition.builder(VotingServiceGrpc.getServiceDescriptor());
        service.addMethod(VotingServiceGrpc.getResultsMethod(), ServerCalls.asyncUnaryCall(this::results));
        for (MethodDescriptor<?, ?> method : VotingServiceGrpc.getServiceDescriptor().getMethods()) {
            String shortcode = emojiByVoteMethod.get(method.getBareMethodName());
            if (shortcode != null) {
                @SuppressWarnings("unchecked")
                MethodDescriptor<VoteRequest, VoteResponse> vote = (MethodDescriptor<VoteRequest, VoteResponse>) method;
                service.addMethod(vote, ServerCalls.asyncUnaryCall((request, response) -> vote(shortcode, response)));
            }
        }
        return service.build();
    }

    void vote(String shortcode, StreamObserver<VoteResponse> response) {
        // The span of this call, opened by Spring gRPC's observation around the handler. Tags and events
        // are what a learner sees in the trace UI: the emoji is on the span, whatever the RPC's name.
        Span span = CurrentSpan.of(tracer);
        span.tag(SpanVocabulary.EMOJI, shortcode);
        // The doughnut fails, or the one emoji failure-rate was limited to. A fault set blind gives no
        // reason anywhere: the status is the original's bare "ERROR", and the log says "failed".
        if (faults.failureRate.emojiOr(FAILING_EMOJI).equals(shortcode) && faults.failsNow(span)) {
            String reason = faults.failureReason();
            log.warn("Vote for {} failed{}", shortcode, reason);
            response.onError(Status.UNKNOWN
                    .withDescription(reason.isEmpty() ? "ERROR" : "ERROR: voting for " + shortcode + " fails on purpose in this demo")
                    .asRuntimeException());
            return;
        }
        // A vote whose caller gave up during the delay is not counted: the caller was told it failed.
        if (!faults.waitOutDelay(span, shortcode)) {
            response.onError(Status.CANCELLED.withDescription("the caller gave up before the vote was counted")
                    .asRuntimeException());
            return;
        }
        long total = poll.vote(shortcode);
        votesCounters.get(shortcode).increment();
        span.event(SpanVocabulary.Event.VOTE_COUNTED); // an annotation at this instant, inside the span's time
        log.info("Voted for {}, which now has a total of {} votes", shortcode, total);
        response.onNext(VoteResponse.getDefaultInstance());
        response.onCompleted();
    }

    void results(ResultsRequest request, StreamObserver<ResultsResponse> response) {
        ResultsResponse.Builder results = ResultsResponse.newBuilder();
        poll.results().forEach(result -> results.addResults(VotingResult.newBuilder()
                .setShortcode(result.shortcode())
                .setVotes((int) Math.min(Integer.MAX_VALUE, result.votes()))));
        response.onNext(results.build());
        response.onCompleted();
    }
}
