package io.emojivoto.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a client connection on which nothing was read or flushed for the idle timeout, give or take
 * a quarter of it. Netty's IdleStateHandler would do it too, but it reads the clock on every read and
 * turns every write's void promise into a real one with a listener. Here activity is a field write:
 * a check runs every quarter of the timeout, and the connection closes once {@value #CHECKS} checks
 * in a row found it quiet, which is between the timeout and a quarter more after its last activity.
 */
final class IdleTimeout extends ChannelDuplexHandler {

    private static final int CHECKS = 4;

    private final long timeoutNanos;
    private boolean active; // read or flushed since the last check
    private int quietChecks;
    private ScheduledFuture<?> checks;

    IdleTimeout(long timeout, TimeUnit unit) {
        this.timeoutNanos = unit.toNanos(timeout);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        long every = Math.max(1, timeoutNanos / CHECKS);
        checks = ctx.executor().scheduleAtFixedRate(() -> check(ctx), every, every, TimeUnit.NANOSECONDS);
    }

    private void check(ChannelHandlerContext ctx) {
        if (active) {
            active = false;
            quietChecks = 0;
        } else if (++quietChecks >= CHECKS) {
            stop();
            ctx.close();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        active = true;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        active = true;
        ctx.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    private void stop() {
        if (checks != null) {
            checks.cancel(false);
            checks = null;
        }
    }
}
