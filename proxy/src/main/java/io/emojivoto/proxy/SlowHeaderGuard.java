package io.emojivoto.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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

    private final long timeoutMillis;
    private LazyDeadline head; // runs from a head's first bytes until the codec has decoded it
    private boolean inRequest;

    SlowHeaderGuard(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        head = new LazyDeadline(ctx.executor(), TimeUnit.MILLISECONDS.toNanos(timeoutMillis), () -> {
            if (ctx.channel().isActive()) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf && !inRequest && !head.running()) {
            head.restart();
        }
        ctx.fireChannelRead(msg);
    }

    /** The codec decoded a request head in time. */
    void headReceived() {
        inRequest = true;
        head.stop();
    }

    /** The exchange is over: the next request's bytes start a new clock. */
    void exchangeDone() {
        inRequest = false;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        head.cancel();
        ctx.fireChannelInactive();
    }
}
