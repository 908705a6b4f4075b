package io.emojivoto.proxy;

import io.emojivoto.switches.Switches;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * /live, /ready (503 while draining) and Prometheus /metrics, for probes and scrapers; and /faults,
 * the runtime switches, answered the way every part of the pipeline answers them: GET lists, POST
 * /faults/NAME with {"value": "..."} sets one, DELETE puts all back. Never on the proxied listeners.
 */
final class AdminServer implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final Transport transport;
    private final ProxyMetrics metrics;
    private final Switches switches;
    private final AtomicBoolean draining;
    private Channel channel;

    AdminServer(EventLoopGroup acceptors, EventLoopGroup workers, Transport transport, ProxyMetrics metrics,
                Switches switches, AtomicBoolean draining) {
        this.acceptors = acceptors;
        this.workers = workers;
        this.transport = transport;
        this.metrics = metrics;
        this.switches = switches;
        this.draining = draining;
    }

    AdminServer start(InetSocketAddress address) throws InterruptedException {
        channel = new ServerBootstrap().group(acceptors, workers).channel(transport.serverChannel())
                .option(io.netty.channel.ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                                new HttpObjectAggregator(8192), new Handler());
                    }
                })
                .bind(new InetSocketAddress(address.getHostString(), address.getPort())).sync().channel();
        return this;
    }

    InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String path = new QueryStringDecoder(request.uri()).path();
            if (path.equals("/faults") || path.startsWith("/faults/")) {
                ctx.writeAndFlush(faults(request));
                return;
            }
            FullHttpResponse response = switch (path) {
                case "/live" -> text(HttpResponseStatus.OK, "live\n", "text/plain");
                case "/ready" -> draining.get()
                        ? text(HttpResponseStatus.SERVICE_UNAVAILABLE, "draining\n", "text/plain")
                        : text(HttpResponseStatus.OK, "ready\n", "text/plain");
                case "/metrics" -> text(HttpResponseStatus.OK, metrics.scrape(), "text/plain; version=0.0.4; charset=utf-8");
                default -> text(HttpResponseStatus.NOT_FOUND, "not found: try /live, /ready, /metrics or /faults\n", "text/plain");
            };
            ctx.writeAndFlush(response);
        }
    }

    /** The switches, in the protocol every part serves them with ({@link Switches}). */
    private FullHttpResponse faults(FullHttpRequest request) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String name = uri.path().startsWith("/faults/") ? uri.path().substring("/faults/".length()) : null;
        if (request.method().equals(HttpMethod.GET) && name == null) {
            return json(HttpResponseStatus.OK, switches.listing(uri.parameters().getOrDefault("reveal", List.of()).contains("true")));
        }
        if (request.method().equals(HttpMethod.DELETE) && name == null) {
            switches.resetAll();
            return json(HttpResponseStatus.OK, switches.listing());
        }
        if (!request.method().equals(HttpMethod.POST) || name == null) {
            return json(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    Switches.error("GET or DELETE /faults, or POST /faults/NAME with {\"value\": \"...\"}"));
        }
        String value;
        String emoji;
        boolean blind;
        try {
            JsonNode body = JSON.readTree(request.content().toString(StandardCharsets.UTF_8));
            value = body.path("value").asString(null);
            emoji = body.path("emoji").asString(null);
            blind = body.path("blind").asBoolean(false);
        } catch (RuntimeException e) {
            value = null;
            emoji = null;
            blind = false;
        }
        try {
            switches.set(name, value, emoji, blind);
        } catch (IllegalArgumentException e) {
            return json(HttpResponseStatus.BAD_REQUEST, Switches.error(e.getMessage()));
        }
        return json(HttpResponseStatus.OK, switches.listing());
    }

    private static FullHttpResponse json(HttpResponseStatus status, Map<String, Object> body) {
        return text(status, JSON.writeValueAsString(body) + "\n", "application/json");
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body, String type) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type).setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        return response;
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly();
        }
    }
}
