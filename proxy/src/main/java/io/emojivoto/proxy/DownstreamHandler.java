package io.emojivoto.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * The end of a client-facing pipeline: an HTTP/2 stream (one exchange) or an HTTP/1.1 connection
 * (one exchange after another). Malformed HTTP/1.1 gets 400, 414 or 431 and the connection closes.
 */
final class DownstreamHandler extends ChannelInboundHandlerAdapter {

    /** Set on an HTTP/1.1 connection while a request is in flight, so that draining waits for it. */
    static final AttributeKey<Boolean> BUSY = AttributeKey.valueOf("busy");

    private final ProxyContext proxy;
    private final Direction direction;
    private final boolean http2;
    private final SlowHeaderGuard headerGuard;
    private Exchange exchange;
    private PinnedUpstream pinned;
    private LazyDeadline responseTimeout; // shared by the connection's exchanges, one at a time
    private final ArrayDeque<Object> pipelined = new ArrayDeque<>();
    private boolean closing; // HTTP/1.1: the last response ends the connection; what comes after it is dropped
    private Attribute<Boolean> busy; // HTTP/1.1: the connection's BUSY, looked up once
    private Runnable onExchangeDone; // made once per connection, not per request

    /** @param headerGuard the HTTP/1.1 connection's slow-header guard; null for HTTP/2 */
    DownstreamHandler(ProxyContext proxy, Direction direction, boolean http2, SlowHeaderGuard headerGuard) {
        this.proxy = proxy;
        this.direction = direction;
        this.http2 = http2;
        this.headerGuard = headerGuard;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        busy = http2 ? null : ctx.channel().attr(BUSY);
        onExchangeDone = () -> exchangeDone(ctx);
        responseTimeout = new LazyDeadline(ctx.executor(), proxy.config().responseTimeout().toNanos(), () -> {
            if (exchange != null) {
                exchange.timedOut();
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        // HTTP/1.1 keeps reading while a response is on its way (pausing a socket costs two epoll_ctl
        // calls per request); a pipelined next request waits here, with reading paused, until its turn.
        if (!http2 && (!pipelined.isEmpty() || (msg instanceof HttpRequest && exchange != null && !exchange.isDone()))) {
            pipelined.add(msg);
            if (pipelined.size() == 1) {
                ctx.channel().config().setAutoRead(false);
            }
            return;
        }
        handle(ctx, msg);
    }

    private void handle(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            if (headerGuard != null) {
                headerGuard.headReceived();
            }
            if (request.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                reject(ctx, request.decoderResult().cause());
                return;
            }
            if (!http2) {
                busy.set(true);
                if (HttpUtil.is100ContinueExpected(request)) {
                    // Answered when the request's turn comes, not when it is read: a pipelined request's
                    // 100 must not go out before the response to the request ahead of it.
                    ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                            Unpooled.EMPTY_BUFFER));
                }
            }
            if (!http2 && pinned == null) {
                pinned = new PinnedUpstream(proxy.upstreams(), ctx.channel().eventLoop());
            }
            exchange = new Exchange(proxy, direction, ctx.channel(), http2, request, pinned, responseTimeout, onExchangeDone);
            exchange.begin();
            return;
        }
        if (msg instanceof HttpContent content && exchange != null) {
            if (content.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                ctx.close();
                return;
            }
            exchange.requestContent(content);
            return;
        }
        ReferenceCountUtil.release(msg);
    }

    /** HTTP/1.1 keep-alive: read the next request on this connection (or close it when draining). */
    private void exchangeDone(ChannelHandlerContext ctx) {
        if (!http2) {
            headerGuard.exchangeDone();
            busy.set(false);
            if (exchange.closesDownstream()) {
                closing = true; // the exchange closes the connection once its response is written
                releasePipelined();
            } else if (proxy.draining().get()) {
                ctx.channel().close();
            } else if (!pipelined.isEmpty()) {
                // Not from inside the exchange that just ended: the next one starts on a clean stack.
                ctx.executor().execute(() -> nextPipelined(ctx));
            } else {
                ctx.channel().config().setAutoRead(true); // the exchange may have paused it (backpressure, connecting)
            }
        }
    }

    private void nextPipelined(ChannelHandlerContext ctx) {
        while (!pipelined.isEmpty() && !(pipelined.peek() instanceof HttpRequest && exchange != null && !exchange.isDone())) {
            handle(ctx, pipelined.poll());
        }
        if (exchange != null) {
            exchange.flushUpstream(); // as at the end of a read batch
        }
        if (pipelined.isEmpty() && ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private static void reject(ChannelHandlerContext ctx, Throwable cause) {
        HttpResponseStatus status = cause instanceof TooLongHttpHeaderException
                ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                : cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                : cause instanceof TooLongFrameException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                : HttpResponseStatus.BAD_REQUEST;
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
        response.headers().set(HttpHeaderNames.CONNECTION, "close").setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        ctx.writeAndFlush(response).addListener(f -> ctx.close());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.flushUpstream();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.downstreamWritabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releasePipelined();
        if (exchange != null) {
            exchange.downstreamClosed();
        }
        if (pinned != null) {
            pinned.close();
        }
        responseTimeout.cancel();
        ctx.fireChannelInactive();
    }

    private void releasePipelined() {
        Object queued;
        while ((queued = pipelined.poll()) != null) {
            ReferenceCountUtil.release(queued);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
