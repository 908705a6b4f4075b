package io.emojivoto.proxy;

import io.emojivoto.proxy.http1.Http1Codecs;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Connections to upstreams: one multiplexed HTTP/2 connection per address and event loop (a new
 * one after GOAWAY or close), shared by every stream of that loop; HTTP/1.1 connections are made
 * here and kept by {@link PinnedUpstream}, one per client connection. Either way a request's
 * upstream connection runs on the same thread as its client connection, so relaying a message
 * never hands it to another thread.
 */
final class Upstreams {

    static final String EXCHANGE_HANDLER = "exchange";

    private final Bootstrap bootstrap;
    private final Map<Key, Future<Channel>> h2Connections = new ConcurrentHashMap<>();
    private final ChannelGroup open = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    private record Key(EventLoop loop, InetSocketAddress address) {
    }

    Upstreams(EventLoopGroup group, Transport transport, int connectTimeoutMillis) {
        this.bootstrap = new Bootstrap().group(group).channel(transport.channel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true);
    }

    /** Opens an HTTP/2 stream to {@code address} whose pipeline ends in {@code handler}. */
    Future<Http2StreamChannel> openStream(EventLoop loop, InetSocketAddress address, ChannelHandler handler,
                                          Promise<Http2StreamChannel> promise) {
        Key key = new Key(loop, address);
        Future<Channel> connection = h2Connections.compute(key, (k, existing) ->
                existing != null && (!existing.isDone() || (existing.isSuccess() && usable(existing.getNow())))
                        ? existing : connectH2(loop, address));
        connection.addListener(done -> {
            if (!done.isSuccess()) {
                h2Connections.remove(key, connection);
                promise.tryFailure(done.cause());
                return;
            }
            Channel parent = connection.getNow();
            new Http2StreamChannelBootstrap(parent)
                    .handler(new ChannelInitializer<Http2StreamChannel>() {
                        @Override
                        protected void initChannel(Http2StreamChannel stream) {
                            stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false));
                            stream.pipeline().addLast(EXCHANGE_HANDLER, handler);
                        }
                    })
                    .open()
                    .addListener(opened -> {
                        if (opened.isSuccess()) {
                            promise.trySuccess((Http2StreamChannel) opened.getNow());
                        } else {
                            promise.tryFailure(opened.cause());
                        }
                    });
        });
        return promise;
    }

    private static boolean usable(Channel parent) {
        return parent.isActive() && !Boolean.TRUE.equals(parent.attr(GoAwayWatcher.DRAINING).get());
    }

    private Future<Channel> connectH2(EventLoop loop, InetSocketAddress address) {
        Bootstrap b = bootstrap.clone(loop).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                open.add(ch);
                ch.pipeline().addLast(Http2FrameCodecBuilder.forClient()
                        .initialSettings(Http2Settings.defaultSettings().initialWindowSize(1 << 20))
                        .build());
                ch.pipeline().addLast(new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                ch.pipeline().addLast(new GoAwayWatcher());
            }
        });
        Promise<Channel> promise = loop.newPromise();
        b.connect(address).addListener(f -> {
            if (f.isSuccess()) {
                promise.trySuccess(((io.netty.channel.ChannelFuture) f).channel());
            } else {
                promise.tryFailure(f.cause());
            }
        });
        return promise;
    }

    /** Marks a connection that got GOAWAY, so that new streams go to a new connection. */
    static final class GoAwayWatcher extends ChannelInboundHandlerAdapter {
        static final io.netty.util.AttributeKey<Boolean> DRAINING = io.netty.util.AttributeKey.valueOf("draining");

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2GoAwayFrame) {
                ctx.channel().attr(DRAINING).set(true);
            }
            ReferenceCountUtil.release(msg);
        }
    }

    /** A new HTTP/1.1 connection to {@code address} on {@code loop}, with {@code handler} at the end of its pipeline. */
    Future<Channel> connectH1(EventLoop loop, InetSocketAddress address, ChannelHandler handler) {
        Promise<Channel> promise = loop.newPromise();
        bootstrap.clone(loop).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                open.add(ch);
                ch.pipeline().addLast(Http1Codecs.client(8192, 16384));
                ch.pipeline().addLast(EXCHANGE_HANDLER, handler);
            }
        }).connect(address).addListener(f -> {
            if (f.isSuccess()) {
                promise.trySuccess(((io.netty.channel.ChannelFuture) f).channel());
            } else {
                promise.tryFailure(f.cause());
            }
        });
        return promise;
    }

    /** Closes every upstream connection and waits for it (the event loops still run). */
    void close() {
        open.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
