package io.emojivoto.spanvocabulary;

/**
 * Every tag and event the parts of the pipeline put on their spans, and the span names of our own, defined
 * once: OpenTelemetry's semantic-convention names where one exists (opentelemetry.io/docs/specs/semconv),
 * {@code emojivoto.*} for what is ours, and the same name for the same idea in every part. The Java
 * parts use these constants; the ingress's Lua declares the same names in one table ({@code TAG} in
 * {@code tracing.lua}). docs/spans.md is the catalogue, part by part; {@code SpanVocabularyTest} keeps
 * it, this class and the Lua table the same, and the pipeline's tests check real traces against it.
 */
public final class SpanVocabulary {

    private SpanVocabulary() {
    }

    // HTTP (semantic conventions: http.*, url.*, server.*, client.*, user_agent.*, error.*)
    public static final String HTTP_REQUEST_METHOD = "http.request.method";
    /** The method as it came, only when it is not one of HTTP's ({@code http.request.method} then says {@code _OTHER}). */
    public static final String HTTP_REQUEST_METHOD_ORIGINAL = "http.request.method_original";
    public static final String URL_PATH = "url.path";
    public static final String URL_SCHEME = "url.scheme";
    /** The route the request matched, {@code /api/vote} (web-svc). */
    public static final String HTTP_ROUTE = "http.route";
    public static final String HTTP_RESPONSE_STATUS_CODE = "http.response.status_code";
    public static final String HTTP_REQUEST_BODY_SIZE = "http.request.body.size";
    public static final String HTTP_RESPONSE_BODY_SIZE = "http.response.body.size";
    public static final String SERVER_ADDRESS = "server.address";
    public static final String SERVER_PORT = "server.port";
    public static final String CLIENT_ADDRESS = "client.address";
    public static final String CLIENT_PORT = "client.port";
    public static final String USER_AGENT_ORIGINAL = "user_agent.original";
    /** Only on a failed request: the class of the exception it failed with, or its 5xx status (web-svc). */
    public static final String ERROR_TYPE = "error.type";

    // gRPC (semantic conventions: rpc.*)
    public static final String RPC_SYSTEM = "rpc.system";
    public static final String RPC_SERVICE = "rpc.service";
    public static final String RPC_METHOD = "rpc.method";
    /** The numeric gRPC status, 0 for OK, 2 for UNKNOWN. */
    public static final String RPC_GRPC_STATUS_CODE = "rpc.grpc.status_code";

    /** Zipkin's mark of a failed span, which Zipkin and Jaeger show: the HTTP status, or the gRPC status's name. */
    public static final String ERROR = "error";

    // Ours
    /** Which runtime switch made this span slow or failed: delay, failure-rate, propagation-off. */
    public static final String FAULT = "emojivoto.fault";
    /** The emoji a vote is for (voting-svc). */
    public static final String EMOJI = "emojivoto.emoji";
    /** How web-svc joined the leaderboard: per-emoji (N+1 calls) or batched. */
    public static final String LEADERBOARD = "emojivoto.leaderboard";
    /** Who sent a request, by its User-Agent: vote-bot, browser or other (the ingress). */
    public static final String CLIENT_KIND = "emojivoto.client";
    /** The learner's name: baggage the ingress creates from the UI's cookie, a tag on every service's spans. */
    public static final String LEARNER = "learner";
    /** The upstream the ingress sent a request to, and how long it took to answer (seconds). */
    public static final String UPSTREAM_ADDRESS = "emojivoto.upstream.address";
    public static final String UPSTREAM_RESPONSE_TIME = "emojivoto.upstream.response_time_s";
    /** A proxy's side of the pod: inbound (a caller calling into the app) or outbound (the app calling out). */
    public static final String PROXY_DIRECTION = "emojivoto.proxy.direction";
    /** Why the proxy answered the request itself (502, 504, …) instead of relaying the upstream's answer. */
    public static final String PROXY_ANSWERED = "emojivoto.proxy.answered";
    /** The proxy sent the request again: the upstream closed a kept-alive connection before answering. */
    public static final String PROXY_RETRY = "emojivoto.proxy.retry";
    /** The caller cancelled the call (a gRPC RST_STREAM) before it ended. */
    public static final String CANCELLED = "emojivoto.cancelled";

    /** Events: a moment inside a span (Zipkin's annotations, Jaeger's logs). */
    public static final class Event {
        private Event() {
        }

        /** voting-svc's, at the instant a vote counted. */
        public static final String VOTE_COUNTED = "vote counted";
        /** Micrometer's on every gRPC span: a message sent, a message received. */
        public static final String SENT = "sent";
        public static final String RECEIVED = "received";
    }

    /** Span names of our own (the others: a request's method and path, or a gRPC call's full method). */
    public static final class Name {
        private Name() {
        }

        /** web-svc's local span around the leaderboard's emoji calls. */
        public static final String LEADERBOARD_JOIN = "leaderboard join";
    }
}
