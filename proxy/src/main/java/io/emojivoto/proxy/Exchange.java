package io.emojivoto.proxy;

import io.emojivoto.proxy.http1.ResponseBody;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One request and its response, relayed between the downstream channel (an HTTP/2 stream or an
 * HTTP/1.1 connection) and an upstream one of the same protocol. Everything here runs on the
 * downstream channel's event loop; upstream events are handed over to it. Backpressure both ways:
 * a side stops reading while the other cannot take more.
 */
final class Exchange {

    private static final AsciiString GRPC_STATUS = AsciiString.cached("grpc-status"); // hashed once, not per lookup
    private static final AsciiString GRPC_TIMEOUT = AsciiString.cached("grpc-timeout");

    private final ProxyContext proxy;
    private final Direction direction;
    private final Channel downstream;
    private final boolean http2;
    private final HttpRequest request;
    private final Runnable onDone;
    private final PinnedUpstream pinned; // HTTP/1.1: the client connection's upstream connection
    private final long startNanos = System.nanoTime();
    private Queue<HttpContent> pending; // what the client sent before the upstream was ready (made when needed)

    private InetSocketAddress address;
    private Channel upstream;
    private HopSpan hop = HopSpan.NONE; // the request's span, when it is sampled: all of the proxy's tracing
    private ScheduledFuture<?> deadline; // the gRPC client's grpc-timeout, counted from the request's arrival
    private final LazyDeadline responseTimeout; // RESPONSE_TIMEOUT, counted from the request's last byte
    private LazyDeadline bodyStall; // BODY_TIMEOUT, restarted by each chunk; made once a body spans reads
    private boolean requestComplete;
    private boolean responseStarted;
    private boolean done;
    private ChannelInboundHandlerAdapter upstreamHandler;
    private boolean upstreamReused; // HTTP/1.1: a kept-alive connection, which the server may close as we send
    private boolean retried;
    private boolean cancelled; // the client went away first
    private String proxyAnswered; // why the proxy answered itself (502, 504, …)
    // The request (its body's buffer, for a full one) is the exchange's to release until a write takes it;
    // one that may go again on a new connection (canRetry) keeps a reference of its own until the end.
    private boolean requestHeld = true;
    private boolean upstreamReusable = true; // false when the upstream's response said Connection: close
                                             // (an exchange that ends in error never reuses its connection)
    private boolean closesDownstream; // HTTP/1.1: the client's connection ends with this response
    private int status;
    private String grpcStatus;
    private long requestBytes;
    private long responseBytes;

    /**
     * @param responseTimeout the client connection's (HTTP/1.1) or stream's (HTTP/2) response clock,
     *                        whose expiry calls {@link #timedOut}; one per connection, so that starting
     *                        it per request is a field write and not a timer to schedule and cancel
     */
    Exchange(ProxyContext proxy, Direction direction, Channel downstream, boolean http2, HttpRequest request,
             PinnedUpstream pinned, LazyDeadline responseTimeout, Runnable onDone) {
        this.pinned = pinned;
        this.responseTimeout = responseTimeout;
        this.proxy = proxy;
        this.direction = direction;
        this.downstream = downstream;
        this.http2 = http2;
        this.request = request;
        this.onDone = onDone;
        proxy.metrics().inFlight.incrementAndGet();
    }

    void begin() {
        String authority = request.headers().get(HttpHeaderNames.HOST);
        hop = HopSpan.start(proxy, direction, request, downstream.remoteAddress()); // the span, and the headers it rewrites
        boolean chunked = HttpUtil.isTransferEncodingChunked(request);
        // Read before the hop-by-hop fields go: Connection: close, or HTTP/1.0 without keep-alive.
        closesDownstream = !http2 && !HttpUtil.isKeepAlive(request);
        HopByHop.strip(request.headers(), http2);
        request.headers().remove(HttpHeaderNames.EXPECT); // HTTP/1.1: DownstreamHandler answered it with 100 Continue
        if (!http2 && chunked) {
            HttpUtil.setTransferEncodingChunked(request, true); // re-framed on our connection
        }
        address = proxy.router(direction).route(authority);
        if (address == null) {
            fail(HttpResponseStatus.BAD_GATEWAY, 14, "no route for authority '" + authority + "'");
            return;
        }
        long deadlineMillis = http2 ? grpcDeadlineMillis() : -1; // gRPC runs over HTTP/2 only
        if (deadlineMillis >= 0) {
            deadline = downstream.eventLoop().schedule(this::timedOut, deadlineMillis, TimeUnit.MILLISECONDS);
        }
        upstreamHandler = new UpstreamHandler();
        connectUpstream(true);
    }

    /**
     * @param inClientRead called while a batch of the client's reads is being handled, whose end
     *                     flushes (flushUpstream): then a request's head and the body read with it
     *                     leave in one write, and the upstream wakes once for both
     */
    private void connectUpstream(boolean inClientRead) {
        Future<? extends Channel> connected = http2
                ? proxy.upstreams().openStream(downstream.eventLoop(), address, upstreamHandler, downstream.eventLoop().newPromise())
                : pinned.acquire(address, upstreamHandler, downstream.eventLoop().newPromise());
        upstreamReused = !http2 && connected.isDone();
        if (connected.isDone()) { // a kept-alive connection: go on without pausing the client (no syscall)
            upstreamReady(connected, false, inClientRead);
        } else {
            downstream.config().setAutoRead(false); // until the upstream is ready; pending holds what was read
            connected.addListener(f -> onLoop(() -> upstreamReady(connected, true, false)));
        }
    }

    private void upstreamReady(Future<? extends Channel> connected, boolean paused, boolean inClientRead) {
        if (!connected.isSuccess()) {
            fail(HttpResponseStatus.BAD_GATEWAY, 14, "upstream " + address + " unreachable: " + connected.cause().getMessage());
            return;
        }
        upstream = connected.getNow();
        if (done) { // the client went away meanwhile
            closeUpstream();
            return;
        }
        if (mayGoAgain()) {
            ReferenceCountUtil.retain(request); // the write takes one reference, the exchange keeps the other
        } else {
            requestHeld = false;
        }
        if (request instanceof FullHttpRequest full) {
            requestBytes += full.content().readableBytes(); // before the write, which may consume the buffer
            requestComplete = true;
        }
        upstream.write(request, upstream.voidPromise());
        HttpContent content;
        while (pending != null && (content = pending.poll()) != null) {
            upstream.write(content, upstream.voidPromise());
        }
        if (!inClientRead) {
            upstream.flush();
        }
        if (requestComplete) {
            startResponseTimeout();
        }
        if (paused || !upstream.isWritable()) {
            downstream.config().setAutoRead(upstream.isWritable() || requestComplete);
        }
    }

    /**
     * The deadline a gRPC client sent ({@code grpc-timeout}) in milliseconds, plus a little so that the
     * client's own deadline fires first when both are in time; -1 without one.
     */
    private long grpcDeadlineMillis() {
        String grpcTimeout = request.headers().get(GRPC_TIMEOUT);
        if (grpcTimeout == null || grpcTimeout.length() < 2 || grpcTimeout.length() > 9) {
            return -1;
        }
        long value;
        try {
            value = Long.parseLong(grpcTimeout, 0, grpcTimeout.length() - 1, 10);
        } catch (NumberFormatException e) {
            return -1;
        }
        TimeUnit unit = switch (grpcTimeout.charAt(grpcTimeout.length() - 1)) {
            case 'H' -> TimeUnit.HOURS;
            case 'M' -> TimeUnit.MINUTES;
            case 'S' -> TimeUnit.SECONDS;
            case 'm' -> TimeUnit.MILLISECONDS;
            case 'u' -> TimeUnit.MICROSECONDS;
            case 'n' -> TimeUnit.NANOSECONDS;
            default -> null;
        };
        return unit == null || value < 0 ? -1 : unit.toMillis(value) + 50;
    }

    /**
     * The upstream's time to answer counts from when it has the whole request, so that a long upload is
     * not cut short, however slow the client.
     */
    private void startResponseTimeout() {
        if (!responseTimeout.running() && !responseStarted && !done) { // every exchange's end stops it
            responseTimeout.restart();
        }
    }

    /** Request body from the client. */
    void requestContent(HttpContent content) {
        if (done) {
            ReferenceCountUtil.release(content);
            return;
        }
        requestBytes += content.content().readableBytes();
        if (content instanceof LastHttpContent) {
            requestComplete = true;
        }
        if (bodyStall != null) {
            if (requestComplete) {
                bodyStall.cancel();
            } else {
                bodyStall.restart();
            }
        }
        if (upstream == null) {
            pend(content);
            return;
        }
        upstream.write(content, upstream.voidPromise()); // flushed when the client's read batch ends (flushUpstream)
        if (requestComplete) {
            startResponseTimeout();
        }
        if (!upstream.isWritable() && !requestComplete) {
            downstream.config().setAutoRead(false); // until the upstream can take more (upstreamWritabilityChanged)
        }
    }

    /** Ends a batch of client reads: one flush (one syscall) for all that was relayed. */
    void flushUpstream() {
        if (upstream != null) {
            upstream.flush();
        }
        if (!requestComplete && !done && bodyStall == null) {
            // The body goes on in later reads: from now on it must keep moving.
            bodyStall = new LazyDeadline(downstream.eventLoop(), proxy.config().bodyTimeout().toNanos(), () -> fail(
                    HttpResponseStatus.REQUEST_TIMEOUT, 4, "the request body stalled for " + bodyStall.timeoutMillis() + " ms"));
            bodyStall.restart();
        }
    }

    void upstreamWritabilityChanged() {
        if (upstream != null && upstream.isWritable() && !requestComplete && !done) {
            downstream.config().setAutoRead(true);
        }
    }

    void downstreamWritabilityChanged() {
        if (upstream != null && !done) {
            upstream.config().setAutoRead(downstream.isWritable());
        }
    }

    private void responseHeaders(HttpResponse response) {
        cancelTimeouts();
        responseStarted = true;
        status = response.status().code();
        grpcStatus = http2 ? response.headers().get(GRPC_STATUS) : null; // gRPC runs over HTTP/2 only
        HopByHop.strip(response.headers(), false);
        if (!http2) {
            if (!HttpUtil.isKeepAlive(response)) {
                upstreamReusable = false;
            }
            boolean unframed = !ResponseBody.absent(request.method(), status) && !(response instanceof FullHttpResponse)
                    && !response.headers().contains(HttpHeaderNames.CONTENT_LENGTH); // chunked or close-delimited upstream
            boolean http10Client = !request.protocolVersion().isKeepAliveDefault();
            // The upstream's Connection is gone with the hop-by-hop fields; what the client reads now is
            // the response's version, and ours, when its own request or the version rules keep-alive out.
            // A 1.0 client cannot read chunked (RFC 9112 6.1: no Transfer-Encoding to it), so a body of
            // unknown length reaches it the 1.0 way: ended by closing the connection.
            if (closesDownstream || !response.protocolVersion().isKeepAliveDefault() || (unframed && http10Client)) {
                closesDownstream = true;
                HttpUtil.setKeepAlive(response, false);
            } else if (http10Client) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE); // 1.0 needs it said
            }
            if (unframed && !http10Client) {
                HttpUtil.setTransferEncodingChunked(response, true);
            }
        }
    }

    private void fromUpstream(Object msg) {
        if (done) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse response) {
            responseHeaders(response);
        }
        if (msg instanceof HttpContent content) {
            responseBytes += content.content().readableBytes();
        }
        boolean last = msg instanceof LastHttpContent;
        if (last) {
            HttpHeaders trailers = ((LastHttpContent) msg).trailingHeaders();
            if (trailers.contains(GRPC_STATUS)) {
                grpcStatus = trailers.get(GRPC_STATUS);
            }
        }
        if (last && closesDownstream) {
            downstream.writeAndFlush(msg).addListener(ChannelFutureListener.CLOSE); // once all of it is written
        } else {
            downstream.write(msg, downstream.voidPromise()); // flushed when the upstream's read batch ends
        }
        if (!downstream.isWritable() && upstream != null) {
            upstream.config().setAutoRead(false);
        }
        if (last) {
            end(null);
        }
    }

    private void upstreamClosed(Channel closed) {
        if (done || closed != upstream) {
            return;
        }
        if (!responseStarted && canRetry()) {
            retryOnNewConnection();
            return;
        }
        if (!responseStarted) {
            fail(HttpResponseStatus.BAD_GATEWAY, 14, "upstream " + address + " closed the connection");
        } else {
            // Half a response is already with the client: all we can do is end it as broken.
            abortDownstream("upstream closed mid-response");
        }
    }

    /**
     * A kept-alive connection the server closed just as the request went out (its idle timeout, say)
     * has not served the request. A request that can be sent again (idempotent, no body) is sent once
     * more on a new connection instead of failing, as nginx and Go's HTTP client do.
     */
    private boolean canRetry() {
        return upstreamReused && !retried && requestComplete && requestBytes == 0 && IDEMPOTENT.contains(request.method());
    }

    /** Whether the request, about to be written, could be sent again should the connection close first (canRetry). */
    private boolean mayGoAgain() {
        return upstreamReused && !retried && request instanceof FullHttpRequest full && !full.content().isReadable()
                && IDEMPOTENT.contains(request.method());
    }

    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD,
            HttpMethod.OPTIONS, HttpMethod.TRACE, HttpMethod.PUT, HttpMethod.DELETE);

    private void retryOnNewConnection() {
        retried = true;
        pinned.release(upstream, false);
        upstream = null;
        if (!(request instanceof FullHttpRequest)) {
            pend(LastHttpContent.EMPTY_LAST_CONTENT); // the request's end, sent already on the old connection
        }
        connectUpstream(false);
    }

    /** The gRPC deadline or the response timeout ran out. */
    void timedOut() {
        if (!done && !responseStarted) {
            fail(HttpResponseStatus.GATEWAY_TIMEOUT, 4, "upstream " + address + " did not answer in time");
        }
    }

    /** The client went away (connection closed, or RST_STREAM on HTTP/2) before the exchange ended. */
    void downstreamClosed() {
        if (done) {
            return;
        }
        cancelled = true;
        end("cancelled by the client");
    }

    /** The proxy answers itself: 502, 504, … (for gRPC, a trailers-only response with grpc-status). */
    private void fail(HttpResponseStatus httpStatus, int grpcCode, String message) {
        if (done) {
            return;
        }
        FullHttpResponse response = ProxyResponses.error(request, httpStatus, grpcCode, message);
        status = response.status().code();
        grpcStatus = response.headers().get(GRPC_STATUS);
        proxyAnswered = message;
        if (!requestComplete || closesDownstream) {
            // The rest of the request must not be read as more of this one: HTTP/1.1 closes the connection
            // (else the body would be read as the next request); HTTP/2 resets the stream after the
            // complete answer, which tells the client to stop sending (RFC 9113 §8.1).
            if (!http2) {
                response.headers().set(HttpHeaderNames.CONNECTION, "close");
                closesDownstream = true;
            }
            downstream.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } else {
            downstream.writeAndFlush(response);
        }
        end(message);
    }

    private void abortDownstream(String reason) {
        downstream.close();
        end(reason);
    }

    private void end(String error) {
        if (done) {
            return;
        }
        done = true;
        downstream.flush(); // the last of the response may still be waiting for its read batch to end
        cancelTimeouts();
        if (requestHeld) { // never written (no route, no upstream, the client gone), or kept for a retry
            requestHeld = false;
            ReferenceCountUtil.release(request);
        }
        HttpContent content;
        while (pending != null && (content = pending.poll()) != null) {
            content.release();
        }
        if (http2) {
            // Whatever the stream still brings (after a failure, say) is read and released, not left queued.
            downstream.config().setAutoRead(true);
        }
        if (upstream != null) {
            if (http2) {
                if (error != null) {
                    upstream.close(); // RST_STREAM(CANCEL) upstream
                }
            } else {
                pinned.release(upstream, upstreamReusable && requestComplete && error == null);
            }
        }
        HopSpan.Outcome outcome = new HopSpan.Outcome(status, grpcStatus, requestBytes, responseBytes, error, proxyAnswered,
                cancelled, retried, address);
        hop.finish(outcome);
        proxy.metrics().request(direction, status, grpcStatus, outcome.failed(), System.nanoTime() - startNanos);
        proxy.metrics().inFlight.decrementAndGet();
        onDone.run();
    }

    private void cancelTimeouts() {
        if (bodyStall != null) {
            bodyStall.cancel();
        }
        if (deadline != null) {
            deadline.cancel(false);
        }
        responseTimeout.stop();
    }

    boolean isDone() {
        return done;
    }

    /** HTTP/1.1: whether the client's connection closes once this response is written, and reads no more requests. */
    boolean closesDownstream() {
        return closesDownstream;
    }

    private void closeUpstream() {
        if (upstream != null) {
            if (http2) {
                upstream.close();
            } else {
                pinned.release(upstream, false);
            }
        }
    }

    private void pend(HttpContent content) {
        if (pending == null) {
            pending = new ArrayDeque<>();
        }
        pending.add(content);
    }

    private void onLoop(Runnable task) {
        if (downstream.eventLoop().inEventLoop()) {
            task.run();
        } else {
            downstream.eventLoop().execute(task);
        }
    }

    /** The end of the upstream channel's pipeline: hands every event to the exchange's loop. */
    private final class UpstreamHandler extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (downstream.eventLoop().inEventLoop()) { // the usual case: no task, no allocation per read
                fromUpstream(msg);
            } else {
                downstream.eventLoop().execute(() -> fromUpstream(msg));
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (downstream.eventLoop().inEventLoop()) {
                downstream.flush();
            } else {
                downstream.eventLoop().execute(downstream::flush);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            onLoop(Exchange.this::upstreamWritabilityChanged);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            onLoop(() -> upstreamClosed(ctx.channel()));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
