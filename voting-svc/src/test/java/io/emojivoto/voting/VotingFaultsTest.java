package io.emojivoto.voting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emojivoto.api.v1.ResultsRequest;
import io.emojivoto.api.v1.VoteRequest;
import io.emojivoto.api.v1.VotingResult;
import io.emojivoto.api.v1.VotingServiceGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** FAILURE_RATE and ARTIFICIAL_DELAY, each on a voting-svc started with that setting, and both as switches changed at runtime. */
class VotingFaultsTest {

    private static long doughnutVotes(VotingServiceGrpc.VotingServiceBlockingStub voting) {
        return voting.results(ResultsRequest.getDefaultInstance()).getResultsList().stream()
                .filter(r -> r.getShortcode().equals(":doughnut:")).mapToLong(VotingResult::getVotes).sum();
    }

    @Test
    void failure_rate_zero_counts_every_doughnut() {
        try (VotingServer server = new VotingServer("voting.failure-rate=0")) {
            var voting = VotingServiceGrpc.newBlockingStub(server.channel);
            for (int i = 0; i < 20; i++) {
                voting.voteDoughnut(VoteRequest.getDefaultInstance());
            }
            assertThat(doughnutVotes(voting)).isEqualTo(20);
        }
    }

    @Test
    void failure_rate_half_fails_some_and_counts_exactly_the_others() {
        try (VotingServer server = new VotingServer("voting.failure-rate=0.5")) {
            var voting = VotingServiceGrpc.newBlockingStub(server.channel);
            int ok = 0;
            for (int i = 0; i < 200; i++) {
                try {
                    voting.voteDoughnut(VoteRequest.getDefaultInstance());
                    ok++;
                } catch (StatusRuntimeException e) {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN);
                }
            }
            // Binomial(200, 0.5): 100 ± 5 sigma (sigma ≈ 7.1).
            assertThat(ok).isBetween(65, 135);
            assertThat(doughnutVotes(voting)).isEqualTo(ok);
        }
    }

    @Test
    void artificial_delay_delays_every_vote() {
        try (VotingServer server = new VotingServer("voting.artificial-delay=300ms")) {
            var voting = VotingServiceGrpc.newBlockingStub(server.channel);
            long start = System.nanoTime();
            voting.voteJoy(VoteRequest.getDefaultInstance());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @Test
    void a_vote_whose_caller_gave_up_during_the_delay_is_not_counted() {
        try (VotingServer server = new VotingServer("voting.artificial-delay=500ms")) {
            var voting = VotingServiceGrpc.newBlockingStub(server.channel);
            assertThatThrownBy(() -> voting.withDeadlineAfter(100, TimeUnit.MILLISECONDS)
                    .voteJoy(VoteRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
            voting.voteGhost(VoteRequest.getDefaultInstance()); // waits until the first vote's delay is over too
            assertThat(voting.results(ResultsRequest.getDefaultInstance()).getResultsList())
                    .extracting(VotingResult::getShortcode).containsExactly(":ghost:");
        }
    }

    private static HttpResponse<String> faults(VotingServer server, String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.managementPort()
                + "/actuator/faults" + path));
        request = json == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void the_switches_change_at_runtime_on_the_actuator_and_go_back_to_their_start_values() throws Exception {
        try (VotingServer server = new VotingServer("voting.failure-rate=0")) {
            var voting = VotingServiceGrpc.newBlockingStub(server.channel);
            assertThat(faults(server, "GET", "", null).body())
                    .contains("\"part\":\"voting-svc\"", "{\"name\":\"delay\",\"value\":\"0ms\",\"start\":\"0ms\"",
                            "{\"name\":\"failure-rate\",\"value\":\"0\",\"start\":\"0\"");

            assertThat(faults(server, "POST", "/delay", "{\"value\":\"300ms\"}").statusCode()).isEqualTo(200);
            long start = System.nanoTime();
            voting.voteJoy(VoteRequest.getDefaultInstance());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the next vote").isGreaterThanOrEqualTo(Duration.ofMillis(300));

            assertThat(faults(server, "POST", "/failure-rate", "{\"value\":\"1\"}").statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> voting.voteDoughnut(VoteRequest.getDefaultInstance())).isInstanceOf(StatusRuntimeException.class);

            assertThat(faults(server, "DELETE", "", null).body()).contains("{\"name\":\"delay\",\"value\":\"0ms\"");
            voting.voteDoughnut(VoteRequest.getDefaultInstance()); // failure-rate back at its start value, 0
        }
    }

    @Test
    void a_value_out_of_range_or_an_unknown_switch_is_a_400_json_error_and_nothing_changes() throws Exception {
        try (VotingServer server = new VotingServer()) {
            for (String[] bad : new String[][] {{"/delay", "-1s"}, {"/delay", "soon"}, {"/failure-rate", "2"},
                    {"/failure-rate", "x"}, {"/brakes", "on"}}) {
                HttpResponse<String> response = faults(server, "POST", bad[0], "{\"value\":\"" + bad[1] + "\"}");
                assertThat(response.statusCode()).as(bad[0] + " " + bad[1]).isEqualTo(400);
                assertThat(response.body()).startsWith("{\"error\":");
            }
            assertThat(faults(server, "POST", "/delay", "{\"value\":\"-1s\"}").body())
                    .contains("delay must be a duration from 0ms to 60s");
            assertThat(faults(server, "GET", "", null).body()).contains("{\"name\":\"delay\",\"value\":\"0ms\"",
                    "{\"name\":\"failure-rate\",\"value\":\"1\"");
        }
    }

    @Test
    void failure_rate_limited_to_one_emoji_moves_the_failure_there_and_clear_brings_the_doughnut_back() throws Exception {
        try (VotingServer server = new VotingServer()) {
            var voting = VotingServiceGrpc.newBlockingStub(server.channel);
            assertThat(faults(server, "POST", "/failure-rate", "{\"value\":\"1\",\"emoji\":\":ghost:\"}").statusCode()).isEqualTo(200);
            voting.voteDoughnut(VoteRequest.getDefaultInstance()); // counted: the failure moved
            assertThatThrownBy(() -> voting.voteGhost(VoteRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getDescription())
                            .isEqualTo("ERROR: voting for :ghost: fails on purpose in this demo"));
            assertThat(faults(server, "GET", "", null).body()).contains("\"value\":\"1\",\"start\":\"1\"", "\"emoji\":\":ghost:\"");
            faults(server, "DELETE", "", null);
            voting.voteGhost(VoteRequest.getDefaultInstance());
            assertThatThrownBy(() -> voting.voteDoughnut(VoteRequest.getDefaultInstance())).isInstanceOf(StatusRuntimeException.class);
        }
    }

    @Test
    void a_delay_limited_to_one_emoji_slows_only_its_votes() throws Exception {
        try (VotingServer server = new VotingServer()) {
            var voting = VotingServiceGrpc.newBlockingStub(server.channel);
            assertThat(faults(server, "POST", "/delay", "{\"value\":\"2s\",\"emoji\":\":ghost:\"}").statusCode()).isEqualTo(200);
            long start = System.nanoTime();
            voting.voteJoy(VoteRequest.getDefaultInstance());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("another emoji").isLessThan(Duration.ofMillis(1500));
            start = System.nanoTime();
            voting.voteGhost(VoteRequest.getDefaultInstance());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("that emoji").isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        }
    }

    @Test
    void a_fault_set_blind_works_but_names_itself_nowhere_until_revealed() throws Exception {
        try (VotingServer server = new VotingServer("voting.failure-rate=0")) {
            var voting = VotingServiceGrpc.newBlockingStub(server.channel);
            assertThat(faults(server, "POST", "/failure-rate", "{\"value\":\"1\",\"emoji\":\":joy:\",\"blind\":true}").statusCode())
                    .isEqualTo(200);
            assertThatThrownBy(() -> voting.voteJoy(VoteRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getDescription())
                            .as("the original's bare text, no reason").isEqualTo("ERROR"));
            String listed = faults(server, "GET", "", null).body();
            assertThat(listed).contains("{\"name\":\"failure-rate\",\"value\":\"hidden\"").doesNotContain(":joy:");
            assertThat(faults(server, "GET", "?reveal=true", null).body()).contains("\"value\":\"1\"", "\"emoji\":\":joy:\"");
        }
    }

    @Test
    void an_emoji_not_in_the_table_is_a_400_naming_them_and_nothing_changes() throws Exception {
        try (VotingServer server = new VotingServer()) {
            HttpResponse<String> response = faults(server, "POST", "/delay", "{\"value\":\"1s\",\"emoji\":\":unicorn:\"}");
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).contains("not ':unicorn:'", ":ghost:", ":doughnut:").doesNotContain(":relaxed:");
            assertThat(faults(server, "GET", "", null).body()).contains("{\"name\":\"delay\",\"value\":\"0ms\"");
        }
    }

    @Test
    void delete_on_the_votes_endpoint_empties_the_poll() throws Exception {
        try (VotingServer server = new VotingServer("voting.failure-rate=0")) {
            var voting = VotingServiceGrpc.newBlockingStub(server.channel);
            voting.voteJoy(VoteRequest.getDefaultInstance());
            voting.voteGhost(VoteRequest.getDefaultInstance());
            HttpResponse<String> cleared = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.managementPort() + "/actuator/votes")).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(cleared.statusCode()).isEqualTo(200);
            assertThat(voting(server).getResultsList()).isEmpty();
            voting.voteJoy(VoteRequest.getDefaultInstance());
            assertThat(voting(server).getResultsList()).singleElement().satisfies(r -> assertThat(r.getVotes()).isEqualTo(1));
        }
    }

    @Test
    void a_call_with_a_malformed_trace_header_is_served_and_the_header_counted() throws Exception {
        try (VotingServer server = new VotingServer()) {
            List<String[]> cases = new java.util.ArrayList<>(io.emojivoto.tracecontext.MalformedTraceHeaders.asPairs());
            cases.addAll(io.emojivoto.tracecontext.MalformedTraceHeaders.invalidTracestates()); // the context stands; the list is counted
            for (String[] pairs : cases) {
                io.grpc.Metadata metadata = new io.grpc.Metadata();
                for (int i = 0; i < pairs.length; i += 2) {
                    metadata.put(io.grpc.Metadata.Key.of(pairs[i], io.grpc.Metadata.ASCII_STRING_MARSHALLER), pairs[i + 1]);
                }
                VotingServiceGrpc.newBlockingStub(server.channel)
                        .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(metadata))
                        .voteJoy(VoteRequest.getDefaultInstance()); // served: no exception
            }
            assertThat(voting(server).getResultsList()).filteredOn(r -> r.getShortcode().equals(":joy:"))
                    .singleElement().satisfies(r -> assertThat(r.getVotes()).isEqualTo(cases.size()));
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.managementPort() + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("emojivoto_trace_headers_malformed_total{application=\"voting-svc\"} " + cases.size() + ".0");
        }
    }

    private static io.emojivoto.api.v1.ResultsResponse voting(VotingServer server) {
        return VotingServiceGrpc.newBlockingStub(server.channel).results(ResultsRequest.getDefaultInstance());
    }

    @Test
    void an_invalid_failure_rate_stops_startup_with_a_clear_message() {
        assertThatThrownBy(() -> new VotingServer("voting.failure-rate=1.5").close())
                .hasRootCauseMessage("FAILURE_RATE must be a probability between 0.0 and 1.0, got 1.5")
                .hasStackTraceContaining("prefix=voting");
    }

    @Test
    void an_invalid_artificial_delay_stops_startup_with_a_clear_message() {
        assertThatThrownBy(() -> new VotingServer("voting.artificial-delay=soon").close())
                .isInstanceOf(Exception.class)
                .hasStackTraceContaining("voting.artificial-delay")
                .hasStackTraceContaining("soon");
    }
}
