import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ResourceLeakDetector;
import java.net.InetSocketAddress;

/**
 * A baseline for bench/proxy.sh, not a proxy: the least a Netty relay of HTTP/1.1 can cost, so that
 * the proxy's CPU per request can be split into what Netty costs and what the proxy adds.
 *   tcp:  bytes relayed as they come (no HTTP at all): the transport's floor.
 *   http: Netty's HTTP/1.1 codecs on both sides (the ones the proxy uses), decoded messages relayed
 *         unchanged: no routing, tracing, header handling, timeouts, metrics or backpressure.
 * Same shape as the proxy: one event loop, one backend connection per client connection on the same
 * loop, one flush per read batch.
 * Run with the proxy's Netty jars: java -cp 'lib/*' bench/NettyRelay.java tcp|http io_uring|epoll listenPort backendPort
 */
public final class NettyRelay {

    public static void main(String[] args) throws InterruptedException {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED); // as the proxy runs
        boolean http = args[0].equals("http");
        boolean ioUring = args[1].equals("io_uring");
        int listenPort = Integer.parseInt(args[2]);
        InetSocketAddress backend = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[3]));
        IoHandlerFactory io = ioUring ? IoUringIoHandler.newFactory() : EpollIoHandler.newFactory();
        Class<? extends ServerChannel> serverChannel = ioUring ? IoUringServerSocketChannel.class : EpollServerSocketChannel.class;
        Class<? extends Channel> channel = ioUring ? IoUringSocketChannel.class : EpollSocketChannel.class;
        EventLoopGroup acceptor = new MultiThreadIoEventLoopGroup(1, io);
        EventLoopGroup worker = new MultiThreadIoEventLoopGroup(1, io);
        new ServerBootstrap().group(acceptor, worker).channel(serverChannel)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.AUTO_READ, false) // until the backend connection is up
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel client) {
                        if (http) {
                            client.pipeline().addLast(new HttpServerCodec());
                        }
                        client.pipeline().addLast(new ClientSide(backend, channel, http));
                    }
                })
                .bind("127.0.0.1", listenPort).sync();
        System.out.println("NettyRelay " + args[0] + " on " + args[1] + " listening on 127.0.0.1:" + listenPort);
    }

    /** Relays what one side reads to the other, flushing once per read batch. */
    private static class Forward extends ChannelInboundHandlerAdapter {
        Channel to;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            to.write(msg, to.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            to.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (to != null) {
                to.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static final class ClientSide extends Forward {
        private final InetSocketAddress backend;
        private final Class<? extends Channel> channel;
        private final boolean http;

        ClientSide(InetSocketAddress backend, Class<? extends Channel> channel, boolean http) {
            this.backend = backend;
            this.channel = channel;
            this.http = http;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel client = ctx.channel();
            Forward backSide = new Forward();
            backSide.to = client;
            new Bootstrap().group(client.eventLoop()).channel(channel)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel upstream) {
                            if (http) {
                                upstream.pipeline().addLast(new HttpClientCodec());
                            }
                            upstream.pipeline().addLast(backSide);
                        }
                    })
                    .connect(backend)
                    .addListener((ChannelFutureListener) connected -> {
                        if (connected.isSuccess()) {
                            to = connected.channel();
                            client.config().setAutoRead(true);
                        } else {
                            client.close();
                        }
                    });
        }
    }
}
