package io.emojivoto.voting;

import static org.assertj.core.api.Assertions.assertThat;

import io.emojivoto.api.v1.VoteRequest;
import io.emojivoto.api.v1.VotingServiceGrpc;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A gRPC call's traceparent reaches the tracer as W3C says a receiver reads it: a later version and
 * flags beyond the sampled bit (Level 2's random-trace-id) are read, where Brave's own W3C reader
 * refuses them and the trace would break here. The vote's log line carries the trace id it joined.
 */
@ExtendWith(OutputCaptureExtension.class)
class VotingTraceContextTest {

    @Test
    void a_future_version_and_the_random_trace_id_flag_are_joined(CapturedOutput output) throws java.io.IOException {
        int nobody;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            nobody = socket.getLocalPort();
        }
        // Tracing on, its spans sent nowhere (a port nobody listens on): the log lines carry the ids.
        try (VotingServer server = new VotingServer("management.tracing.export.enabled=true",
                "management.tracing.export.zipkin.endpoint=http://127.0.0.1:" + nobody + "/api/v2/spans")) {
            String[] traceparents = {"00-5a1e00000000000000000000000000a1-00f067aa0ba902b7-03",
                    "cc-5a1e00000000000000000000000000c2-00f067aa0ba902b7-01-what-the-future-will-be-like"};
            for (String traceparent : traceparents) {
                Metadata metadata = new Metadata();
                metadata.put(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER), traceparent);
                VotingServiceGrpc.newBlockingStub(server.channel)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata))
                        .voteJoy(VoteRequest.getDefaultInstance());
            }
            assertThat(output.getOut()).contains("5a1e00000000000000000000000000a1").contains("5a1e00000000000000000000000000c2");
        }
    }
}
