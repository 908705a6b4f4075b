package io.emojivoto.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 only: once a request's first bytes arrive, its head (request line and headers) must be
 * complete within the header timeout, or the client gets 408 and the connection closes. This is
 * what keeps a slow-loris client, which trickles a header every few seconds, from holding a
 * connection forever; the idle timeout alone would not, since the connection is never idle.
 */
final class SlowHeaderGuard extends ChannelInboundHandlerAdapter {

    private static final byte[] TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private final long timeoutNanos;
    private ScheduledFuture<?> timer; // at most one, re-armed lazily: no timer work per request
    private long headStartedNanos = -1; // when the bytes of a head not yet decoded began; -1: none pending
    private boolean inRequest;

    SlowHeaderGuard(long timeoutMillis) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf && !inRequest && headStartedNanos < 0) {
            headStartedNanos = System.nanoTime();
            if (timer == null) {
                arm(ctx, timeoutNanos);
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void arm(ChannelHandlerContext ctx, long delayNanos) {
        timer = ctx.executor().schedule(() -> check(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check(ChannelHandlerContext ctx) {
        timer = null;
        if (headStartedNanos < 0 || !ctx.channel().isActive()) {
            return; // heads arrived in time; the next one's first bytes arm the timer again
        }
        long left = headStartedNanos + timeoutNanos - System.nanoTime();
        if (left > 0) {
            arm(ctx, left); // a later head than the one the timer was armed for
        } else {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The codec decoded a request head in time. */
    void headReceived() {
        inRequest = true;
        headStartedNanos = -1;
    }

    /** The exchange is over: the next request's bytes start a new clock. */
    void exchangeDone() {
        inRequest = false;
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }
}
