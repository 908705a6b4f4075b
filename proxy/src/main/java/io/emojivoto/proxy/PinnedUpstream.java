package io.emojivoto.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;

/**
 * The upstream HTTP/1.1 connection of one client connection. HTTP/1.1 carries one request at a
 * time, so a client connection's requests can reuse one upstream connection, on the same event
 * loop, without a pool: no acquire/release per request. It is replaced when it closes, when it
 * could not be reused, or when the next request goes elsewhere.
 */
final class PinnedUpstream {

    private final Upstreams upstreams;
    private final EventLoop loop;
    private Channel channel;
    private InetSocketAddress address;

    PinnedUpstream(Upstreams upstreams, EventLoop loop) {
        this.upstreams = upstreams;
        this.loop = loop;
    }

    Future<Channel> acquire(InetSocketAddress to, ChannelHandler handler, Promise<Channel> promise) {
        if (channel != null && channel.isActive() && to.equals(address)) {
            channel.pipeline().addLast(Upstreams.EXCHANGE_HANDLER, handler);
            return promise.setSuccess(channel);
        }
        close();
        upstreams.connectH1(loop, to, handler).addListener(f -> {
            if (f.isSuccess()) {
                channel = (Channel) f.getNow();
                address = to;
                promise.trySuccess(channel);
            } else {
                promise.tryFailure(f.cause());
            }
        });
        return promise;
    }

    void release(Channel ch, boolean reusable) {
        if (ch.pipeline().get(Upstreams.EXCHANGE_HANDLER) != null) {
            ch.pipeline().remove(Upstreams.EXCHANGE_HANDLER);
        }
        if (!reusable) {
            ch.close();
            if (ch == channel) {
                channel = null;
            }
        }
    }

    void close() {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
