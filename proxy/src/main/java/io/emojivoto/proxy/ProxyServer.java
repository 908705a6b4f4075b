package io.emojivoto.proxy;

import io.emojivoto.proxy.http1.Http1Codecs;
import io.emojivoto.switches.Switch;
import io.emojivoto.switches.Switches;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy: an inbound listener in front of the app and an outbound listener for the app's own
 * calls, each speaking HTTP/1.1 and HTTP/2 over cleartext (prior knowledge, as gRPC does) on the
 * same port; plus the admin listener.
 */
public final class ProxyServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);

    private final ProxyConfig config;
    private final ProxyMetrics metrics = new ProxyMetrics();
    private final Switches switches;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Transport transport;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final ChannelGroup listeners = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final ProxySpans spans;
    private final Upstreams upstreams;
    private final ProxyContext context;
    private AdminServer admin;
    private final List<InetSocketAddress> bound = new ArrayList<>();

    public ProxyServer(ProxyConfig config) {
        this.config = config;
        this.switches = new Switches(config.name());
        Switch<Boolean> propagation = switches.add(Switch.onOff("propagation", true));
        this.transport = config.transport();
        this.acceptors = new MultiThreadIoEventLoopGroup(1, transport.ioHandlers());
        this.workers = new MultiThreadIoEventLoopGroup(config.ioThreads(), transport.ioHandlers());
        this.spans = new ProxySpans(config.name(), config.zipkinEndpoint(), metrics.registry);
        this.upstreams = new Upstreams(workers, transport, (int) config.connectTimeout().toMillis());
        this.context = new ProxyContext(config, Router.to(config.app()),
                Router.byAuthority(config.routes(), config.dnsFallback()), upstreams, spans, propagation, metrics, draining);
    }

    public ProxyServer start() throws InterruptedException {
        if (config.inbound() != null) {
            bound.add(listen(config.inbound(), Direction.INBOUND));
        }
        if (config.outbound() != null) {
            bound.add(listen(config.outbound(), Direction.OUTBOUND));
        }
        admin = new AdminServer(acceptors, workers, transport, metrics, switches, draining).start(config.admin());
        log.info("{} started ({}): {}, admin on {}", config.name(), transport.configName(), describe(), admin.address());
        return this;
    }

    private String describe() {
        StringBuilder s = new StringBuilder();
        if (config.inbound() != null) {
            s.append("inbound ").append(hostPort(config.inbound())).append(" -> app ").append(hostPort(config.app()));
        }
        if (config.outbound() != null) {
            s.append(s.isEmpty() ? "" : ", ").append("outbound ").append(hostPort(config.outbound())).append(" routes ").append(config.routes().keySet())
                    .append(config.dnsFallback() ? " + DNS" : "");
        }
        return s.toString();
    }

    private static String hostPort(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    /** The bound address of the inbound listener (its real port when configured with port 0). */
    public InetSocketAddress inboundAddress() {
        return config.inbound() == null ? null : bound.get(0);
    }

    public InetSocketAddress outboundAddress() {
        return config.outbound() == null ? null : bound.get(bound.size() - 1);
    }

    public InetSocketAddress adminAddress() {
        return admin.address();
    }

    public ProxyMetrics metrics() {
        return metrics;
    }

    private InetSocketAddress listen(InetSocketAddress address, Direction direction) throws InterruptedException {
        ServerBootstrap server = new ServerBootstrap()
                .group(acceptors, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                // As the JDK does for its server sockets (Netty's epoll transport does not): a port whose
                // earlier connections linger in TIME_WAIT can be listened on again.
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        metrics.openConnections.incrementAndGet();
                        ch.closeFuture().addListener(f -> metrics.openConnections.decrementAndGet());
                        initConnection(ch, direction);
                    }
                });
        Channel listener = server.bind(new InetSocketAddress(address.getHostString(), address.getPort())).sync().channel();
        listeners.add(listener);
        return (InetSocketAddress) listener.localAddress();
    }

    /**
     * HTTP/2 prior knowledge is recognised by its preface; anything else is HTTP/1.1.
     */
    private void initConnection(SocketChannel ch, Direction direction) {
        ch.pipeline().addLast(new IdleTimeout(config.idleTimeout().toNanos(), TimeUnit.NANOSECONDS));
        ch.pipeline().addLast(new ProtocolDetector(ctx -> addHttp2(ctx, direction), ctx -> addHttp1(ctx, direction)));
    }

    private void addHttp1(ChannelHandlerContext ctx, Direction direction) {
        SlowHeaderGuard guard = new SlowHeaderGuard(config.headerTimeout().toMillis());
        ctx.pipeline().addLast(guard);
        ctx.pipeline().addLast(Http1Codecs.server(8192, config.maxHeaderSize()));
        ctx.pipeline().addLast(new DownstreamHandler(context, direction, false, guard));
    }

    private void addHttp2(ChannelHandlerContext ctx, Direction direction) {
        ctx.pipeline().addLast(new Http2HeaderBlockGuard(config.headerTimeout().toMillis(),
                Http2CodecUtil.connectionPrefaceBuf().readableBytes()));
        ctx.pipeline().addLast(Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxHeaderListSize(config.maxHeaderSize())
                        .initialWindowSize(1 << 20)
                        .maxConcurrentStreams(1000))
                .gracefulShutdownTimeoutMillis(config.drainTimeout().toMillis())
                .build());
        ctx.pipeline().addLast(new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true));
                stream.pipeline().addLast(new DownstreamHandler(context, direction, true, null));
            }
        }));
    }

    /**
     * Graceful shutdown: /ready turns 503, listeners close, HTTP/2 clients get GOAWAY, and requests
     * in flight get up to DRAIN_TIMEOUT to finish before everything closes and spans are flushed.
     */
    @Override
    public void close() {
        draining.set(true);
        listeners.close().awaitUninterruptibly();
        // HTTP/2: GOAWAY, then the connection closes when its streams are done (or the grace period
        // ends). HTTP/1.1: idle connections close now, busy ones after their response.
        for (Channel connection : connections) {
            if (!Boolean.TRUE.equals(connection.attr(DownstreamHandler.BUSY).get())) {
                connection.close();
            }
        }
        long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        while (metrics.inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // Closed here, and waited for, while the event loops still run: each channel's handlers then
        // see it close and release what they hold (a loop that shuts down first may never tell them).
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        upstreams.close();
        if (admin != null) {
            admin.close();
        }
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        spans.close();
        log.info("{} stopped", config.name());
    }
}
