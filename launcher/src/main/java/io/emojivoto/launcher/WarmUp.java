package io.emojivoto.launcher;

import io.emojivoto.tracecontext.TraceHeaderNames;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Before `up` says healthy: read-only requests straight to web-svc's proxy, so that every process on
 * a vote's path (web-svc's proxy, web-svc, the other proxies, emoji-svc, voting-svc) has loaded,
 * connected and compiled its side of it before the first real vote is timed against web-svc's gRPC
 * deadline. Each request carries an unsampled context in both formats, so none leaves a span; and
 * none counts a vote: the vote is for an emoji that does not exist (web-svc asks emoji-svc, then
 * answers 400 without calling voting-svc).
 */
final class WarmUp {

    /** Every call a vote makes but the Vote itself: ListAll, Results, FindByShortcode. */
    static final List<String> PATHS = List.of("/api/list", "/api/leaderboard", "/api/vote?choice=:warm-up:");
    static final int ROUNDS = 10;
    /** "WARMUP" in hex, flags 00: not sampled. */
    private static final String UNSAMPLED_TRACEPARENT = "00-5741524d555000000000000000000000-5741524d55500001-00";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private WarmUp() {
    }

    /** Sends the rounds to {@code webSvcUrl} (web-svc's proxy); returns how many answered as expected. */
    static int run(String webSvcUrl) {
        int answered = 0;
        for (int round = 0; round < ROUNDS; round++) {
            for (String path : PATHS) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(webSvcUrl + path)).timeout(Duration.ofSeconds(10))
                        .header(TraceHeaderNames.B3_SAMPLED, "0").header(TraceHeaderNames.TRACEPARENT, UNSAMPLED_TRACEPARENT).build();
                try {
                    int status = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    answered += status == 200 || status == 400 ? 1 : 0;
                } catch (IOException e) {
                    // a slow or failed warm-up call only means a colder first vote: health already said every part is up
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return answered;
                }
            }
        }
        return answered;
    }
}
