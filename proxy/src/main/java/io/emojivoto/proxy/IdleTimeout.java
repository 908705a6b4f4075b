package io.emojivoto.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.TimeUnit;

/**
 * Closes a client connection on which nothing was read or flushed for the idle timeout. Netty's
 * IdleStateHandler would do it too, but it tracks each write's completion, which turns every write's
 * void promise into a real one with a listener: an allocation and a callback per write, for a clock
 * that only has to be right to the second. Here activity is a field write ({@link LazyDeadline}).
 */
final class IdleTimeout extends ChannelDuplexHandler {

    private final long timeoutNanos;
    private LazyDeadline idle;

    IdleTimeout(long timeout, TimeUnit unit) {
        this.timeoutNanos = unit.toNanos(timeout);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        idle = new LazyDeadline(ctx.executor(), timeoutNanos, ctx::close);
        idle.restart();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        idle.restart();
        ctx.fireChannelRead(msg);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        idle.restart();
        ctx.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        idle.cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        idle.cancel();
    }
}
