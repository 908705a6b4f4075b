package io.emojivoto.proxy;

import static io.emojivoto.spanvocabulary.SpanVocabulary.CANCELLED;
import static io.emojivoto.spanvocabulary.SpanVocabulary.CLIENT_ADDRESS;
import static io.emojivoto.spanvocabulary.SpanVocabulary.CLIENT_PORT;
import static io.emojivoto.spanvocabulary.SpanVocabulary.ERROR;
import static io.emojivoto.spanvocabulary.SpanVocabulary.FAULT;
import static io.emojivoto.spanvocabulary.SpanVocabulary.HTTP_REQUEST_BODY_SIZE;
import static io.emojivoto.spanvocabulary.SpanVocabulary.HTTP_REQUEST_METHOD;
import static io.emojivoto.spanvocabulary.SpanVocabulary.HTTP_RESPONSE_BODY_SIZE;
import static io.emojivoto.spanvocabulary.SpanVocabulary.HTTP_RESPONSE_STATUS_CODE;
import static io.emojivoto.spanvocabulary.SpanVocabulary.PROXY_ANSWERED;
import static io.emojivoto.spanvocabulary.SpanVocabulary.PROXY_DIRECTION;
import static io.emojivoto.spanvocabulary.SpanVocabulary.PROXY_RETRY;
import static io.emojivoto.spanvocabulary.SpanVocabulary.RPC_GRPC_STATUS_CODE;
import static io.emojivoto.spanvocabulary.SpanVocabulary.SERVER_ADDRESS;
import static io.emojivoto.spanvocabulary.SpanVocabulary.URL_PATH;

import brave.Span;
import brave.propagation.TraceContext;
import io.emojivoto.tracecontext.TraceContextHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * What the proxy adds to a trace: the span of one hop, one request it carries, from the request's
 * arrival to the end of its response. This class is all of the proxy's tracing; the exchange calls
 * it twice, {@link #start} when a request arrives and {@link #finish} when its exchange ends, and
 * everything else in the proxy relays bytes. docs/walkthrough.md shows what these spans look like.
 *
 * <ol>
 *   <li>Read the context the request carries: B3 multi-headers, the single {@code b3} header or W3C
 *       {@code traceparent} ({@link TraceContextHeaders} does the parsing, one reader per format).
 *   <li>Decide: only a sampled request gets a span. An unsampled one, or one without any context,
 *       gets none and its headers pass untouched: whether there is a trace was decided at the ingress,
 *       which is how a trace is complete or absent, never partial.
 *   <li>Make a span id of the proxy's own and forward it in place of the incoming one, in every format
 *       the request came in: the next hop's span becomes this span's child. ({@code traceparent} goes
 *       on as version 00 with the flags that version knows, and an invalid {@code tracestate} not at
 *       all. With the fault switch {@code propagation off}, the incoming id goes on unchanged: the
 *       classic broken propagation, where the next hop's span is this one's sibling and the trace no
 *       longer nests.)
 *   <li>Start the span as the incoming span's child: SERVER on the inbound side (a caller calling into
 *       the app), CLIENT on the outbound side (the app calling out), named by method and path.
 *   <li>Finish it with the outcome: statuses, bytes, and an {@code error} tag when the call failed.
 *       Tag names are OpenTelemetry's semantic conventions, defined once in {@code span-vocabulary}.
 * </ol>
 */
final class HopSpan {

    /** The hop of a request without a sampled trace: nothing is recorded. */
    static final HopSpan NONE = new HopSpan(null);

    private final Span span;

    private HopSpan(Span span) {
        this.span = span;
    }

    /** Steps 1 to 4, for a request about to be forwarded; its headers are rewritten in place. */
    static HopSpan start(ProxyContext proxy, Direction direction, HttpRequest request, SocketAddress client) {
        // 1. The incoming context.
        NettyTraceHeaders headers = NettyTraceHeaders.of(request.headers());
        TraceContextHeaders.Parsed incoming = TraceContextHeaders.parse(headers);
        if (incoming instanceof TraceContextHeaders.Malformed) {
            proxy.metrics().malformedTraceHeader(); // forwarded untouched, and counted
            return NONE;
        }
        if (incoming instanceof TraceContextHeaders.Context context && context.badTracestate() != null) {
            proxy.metrics().malformedTraceHeader(); // counted; the context stands, and a rewrite drops the list
        }
        // 2. Sampled or not: the ingress decided.
        if (!(incoming instanceof TraceContextHeaders.Context context) || !context.isSampled()) {
            return NONE;
        }
        // 3. The proxy's own span id, forwarded in place of the caller's.
        long spanId = TraceContextHeaders.newSpanId();
        boolean propagate = proxy.propagation().get();
        if (propagate) {
            TraceContextHeaders.rewrite(headers, context, spanId);
        }
        // 4. The span: a child of the caller's span, in the same trace.
        TraceContext ours = TraceContext.newBuilder()
                .traceIdHigh(context.traceIdHigh())
                .traceId(context.traceId())
                .parentId(context.spanId())
                .spanId(spanId)
                .sampled(true)
                .debug(context.debug())
                .build();
        String path = pathOf(request.uri());
        Span span = proxy.spans().tracer().toSpan(ours)
                .kind(direction == Direction.INBOUND ? Span.Kind.SERVER : Span.Kind.CLIENT)
                .name(request.method().name() + " " + path)
                .tag(PROXY_DIRECTION, direction.label())
                .tag(HTTP_REQUEST_METHOD, request.method().name())
                .tag(URL_PATH, path);
        String authority = request.headers().get(HttpHeaderNames.HOST);
        if (authority != null) {
            span.tag(SERVER_ADDRESS, authority);
        }
        if (direction == Direction.INBOUND && client instanceof InetSocketAddress caller) {
            span.tag(CLIENT_ADDRESS, caller.getAddress().getHostAddress());
            span.tag(CLIENT_PORT, Integer.toString(caller.getPort()));
        }
        if (!propagate && !proxy.propagation().hidden()) { // set --blind: the learner finds it by the trace's shape alone
            span.tag(FAULT, "propagation-off");
        }
        return new HopSpan(span.start());
    }

    /** Step 5: the outcome on the span, and the span on its way to the collector. */
    void finish(Outcome outcome) {
        if (span == null) {
            return;
        }
        if (outcome.upstream() != null) {
            span.remoteIpAndPort(outcome.upstream().getHostString(), outcome.upstream().getPort());
        }
        if (outcome.retried()) {
            span.tag(PROXY_RETRY, "upstream closed a kept-alive connection before answering");
        }
        if (outcome.cancelled()) {
            span.tag(CANCELLED, "true");
        }
        if (outcome.proxyAnswered() != null) {
            span.tag(PROXY_ANSWERED, outcome.proxyAnswered());
        }
        if (outcome.status() != 0) {
            span.tag(HTTP_RESPONSE_STATUS_CODE, Integer.toString(outcome.status()));
        }
        if (outcome.grpcStatus() != null) {
            span.tag(RPC_GRPC_STATUS_CODE, outcome.grpcStatus());
        }
        span.tag(HTTP_REQUEST_BODY_SIZE, Long.toString(outcome.requestBytes()));
        span.tag(HTTP_RESPONSE_BODY_SIZE, Long.toString(outcome.responseBytes()));
        if (outcome.failed()) {
            span.tag(ERROR, outcome.error() != null ? outcome.error()
                    : outcome.grpcFailed() ? outcome.grpcStatusName() : Integer.toString(outcome.status()));
        }
        span.finish();
    }

    private static String pathOf(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    /**
     * How an exchange ended.
     *
     * @param status        the HTTP status the client got; 0 when it got none
     * @param grpcStatus    the gRPC status (trailers or trailers-only), or null
     * @param error         why the exchange ended early (the client left, the upstream closed), or null
     * @param proxyAnswered the reason the proxy answered itself (502, 504, …), or null
     * @param upstream      where the request went, or null when it was not routed
     */
    record Outcome(int status, String grpcStatus, long requestBytes, long responseBytes, String error, String proxyAnswered,
                   boolean cancelled, boolean retried, InetSocketAddress upstream) {

        private static final String[] GRPC_STATUS_NAMES = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT",
                "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
                "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
                "UNAUTHENTICATED"};

        boolean grpcFailed() {
            return grpcStatus != null && !grpcStatus.equals("0");
        }

        /** The gRPC status by name, UNKNOWN for 2, as the services' spans say it; the number when it is none of gRPC's. */
        String grpcStatusName() {
            int code = grpcStatus.length() <= 2 && grpcStatus.chars().allMatch(Character::isDigit) ? Integer.parseInt(grpcStatus) : -1;
            return code >= 0 && code < GRPC_STATUS_NAMES.length ? GRPC_STATUS_NAMES[code] : grpcStatus;
        }

        /** A failed call: it ended early, or with a server error status. */
        boolean failed() {
            return error != null || status >= 500 || grpcFailed();
        }
    }
}
