package io.emojivoto.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;

/**
 * The upstream HTTP/1.1 connection of one client connection. HTTP/1.1 carries one request at a
 * time, so a client connection's requests can reuse one upstream connection, on the same event
 * loop, without a pool: no acquire/release per request, and no change to its pipeline either (a
 * relay at its end hands events to whichever exchange holds it). It is replaced when it closes,
 * when it could not be reused, or when the next request goes elsewhere.
 */
final class PinnedUpstream {

    private final Upstreams upstreams;
    private final EventLoop loop;
    private Channel channel;
    private Relay relay;
    private InetSocketAddress address;

    PinnedUpstream(Upstreams upstreams, EventLoop loop) {
        this.upstreams = upstreams;
        this.loop = loop;
    }

    /** The connection to {@code to}, whose events go to {@code exchange} until {@link #release}. */
    Future<Channel> acquire(InetSocketAddress to, ChannelInboundHandler exchange, Promise<Channel> promise) {
        if (channel != null && channel.isActive() && to.equals(address)) {
            relay.exchange = exchange;
            return promise.setSuccess(channel);
        }
        close();
        Relay newRelay = new Relay();
        newRelay.exchange = exchange;
        upstreams.connectH1(loop, to, newRelay).addListener(f -> {
            if (f.isSuccess()) {
                channel = (Channel) f.getNow();
                relay = newRelay;
                address = to;
                promise.trySuccess(channel);
            } else {
                promise.tryFailure(f.cause());
            }
        });
        return promise;
    }

    void release(Channel ch, boolean reusable) {
        if (ch == channel) {
            relay.exchange = null;
        }
        if (reusable) {
            // The exchange may have paused reading (its client was slower than the upstream) and
            // ended before it could resume; the next exchange would then wait for an answer that is
            // never read. Read between exchanges, too: a close or stray bytes are seen at once.
            // (Checked first: setting it is an atomic swap, on every request's path.)
            if (!ch.config().isAutoRead()) {
                ch.config().setAutoRead(true);
            }
        } else {
            ch.close();
            if (ch == channel) {
                channel = null;
                relay = null;
            }
        }
    }

    void close() {
        if (channel != null) {
            channel.close();
            channel = null;
            relay = null;
        }
    }

    /** The end of the upstream connection's pipeline; between exchanges, what arrives is dropped. */
    private static final class Relay extends ChannelInboundHandlerAdapter {

        ChannelInboundHandler exchange;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (exchange != null) {
                exchange.channelRead(ctx, msg);
            } else {
                ReferenceCountUtil.release(msg); // an answer nobody asked for: the connection is not reused
                ctx.close();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
            if (exchange != null) {
                exchange.channelReadComplete(ctx);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
            if (exchange != null) {
                exchange.channelWritabilityChanged(ctx);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (exchange != null) {
                exchange.channelInactive(ctx);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
