import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
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
 *   http: Netty's HTTP/1.1 codecs on both sides (the ones the proxy used until it read HTTP/1.1 itself), decoded messages relayed
 *         unchanged: no routing, tracing, header handling, timeouts, metrics or backpressure.
 *   inplace: the least a proxy that parses HTTP/1.1 in place would do (InPlaceHttp): every head checked
 *         byte by byte as RFC 9112 strictly allows, the headers a proxy acts on found, hop-by-hop
 *         lines cut, the rest relayed as the bytes that came, bodies framed by Content-Length. A
 *         measuring prototype, not a parser to trust: it closes the connection on chunked bodies and
 *         on anything it does not accept, and has none of the proxy's own work.
 * Same shape as the proxy: one event loop, one backend connection per client connection on the same
 * loop, one flush per read batch.
 * Run with the proxy's Netty jars: java -cp 'lib/*' bench/NettyRelay.java tcp|http|inplace io_uring|epoll listenPort backendPort
 */
public final class NettyRelay {

    public static void main(String[] args) throws InterruptedException {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED); // as the proxy runs
        String mode = args[0];
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
                        if (mode.equals("http")) {
                            client.pipeline().addLast(new HttpServerCodec());
                        }
                        Forward toBackend = mode.equals("inplace") ? new InPlaceHttp(true) : new Forward();
                        client.pipeline().addLast(new Connector(backend, channel, mode, toBackend), toBackend);
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

    /** Opens the client connection's own backend connection, on the same event loop. */
    private static final class Connector extends ChannelInboundHandlerAdapter {
        private final InetSocketAddress backend;
        private final Class<? extends Channel> channel;
        private final String mode;
        private final Forward toBackend;

        Connector(InetSocketAddress backend, Class<? extends Channel> channel, String mode, Forward toBackend) {
            this.backend = backend;
            this.channel = channel;
            this.mode = mode;
            this.toBackend = toBackend;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel client = ctx.channel();
            Forward backSide = mode.equals("inplace") ? new InPlaceHttp(false) : new Forward();
            backSide.to = client;
            new Bootstrap().group(client.eventLoop()).channel(channel)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel upstream) {
                            if (mode.equals("http")) {
                                upstream.pipeline().addLast(new HttpClientCodec());
                            }
                            upstream.pipeline().addLast(backSide);
                        }
                    })
                    .connect(backend)
                    .addListener((ChannelFutureListener) connected -> {
                        if (connected.isSuccess()) {
                            toBackend.to = connected.channel();
                            client.config().setAutoRead(true);
                        } else {
                            client.close();
                        }
                    });
            ctx.fireChannelActive();
            ctx.pipeline().remove(this);
        }
    }

    /**
     * One direction of an in-place HTTP/1.1 relay: requests (client side) or responses (backend side).
     * Per head it does what a strict in-place parser must: each byte checked against what RFC 9112
     * allows where it stands (token, request-target, field value; CRLF only, no space before the
     * colon, no obs-fold), the framing headers read, the trace and routing headers found, the
     * hop-by-hop lines cut. A head with nothing to cut is relayed as a slice of the bytes read.
     */
    private static final class InPlaceHttp extends Forward {
        private static final int MAX_HEAD = 16384; // the proxy's MAX_HEADER_SIZE default
        private static final boolean[] TOKEN = new boolean[256];
        private static final boolean[] TARGET = new boolean[256];
        private static final boolean[] VALUE = new boolean[256];
        static {
            for (int c = 0x21; c < 0x7f; c++) {
                TARGET[c] = true;
                VALUE[c] = true;
                TOKEN[c] = Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            }
            for (int c = 0x80; c < 0x100; c++) {
                VALUE[c] = true; // obs-text
            }
            VALUE[' '] = true;
            VALUE['\t'] = true;
        }

        private final boolean requests;
        private ByteBuf partial; // a head split over reads, until its end comes
        private long bodyLeft;
        // Per head: the lines to cut (start, end pairs) and what the proxy would act on.
        private final int[] cuts = new int[16];
        private int cutCount;
        private long contentLength;
        private int hostAt;
        private int traceHeaders;

        InPlaceHttp(boolean requests) {
            this.requests = requests;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            if (partial != null) {
                partial.writeBytes(in);
                in.release();
                in = partial;
                partial = null;
            }
            try {
                while (in.isReadable()) {
                    if (bodyLeft > 0) {
                        int n = (int) Math.min(bodyLeft, in.readableBytes());
                        to.write(in.readRetainedSlice(n), to.voidPromise());
                        bodyLeft -= n;
                        continue;
                    }
                    int start = in.readerIndex();
                    int end = head(in, start, Math.min(in.writerIndex(), start + MAX_HEAD));
                    if (end == 0 && in.readableBytes() < MAX_HEAD) { // not all here yet
                        partial = ctx.alloc().buffer(Math.max(1024, in.readableBytes() * 2)).writeBytes(in);
                        break;
                    }
                    if (end <= 0) { // malformed, too long, or a framing this prototype does not relay
                        ctx.close();
                        break;
                    }
                    relayHead(in, start, end);
                    in.readerIndex(end);
                    bodyLeft = Math.max(0, contentLength);
                }
            } finally {
                in.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (partial != null) {
                partial.release();
                partial = null;
            }
            super.channelInactive(ctx);
        }

        private void relayHead(ByteBuf in, int start, int end) {
            if (cutCount == 0) {
                to.write(in.retainedSlice(start, end - start), to.voidPromise());
                return;
            }
            ByteBuf out = to.alloc().buffer(end - start);
            int from = start;
            for (int i = 0; i < cutCount; i += 2) {
                out.writeBytes(in, from, cuts[i] - from);
                from = cuts[i + 1];
            }
            out.writeBytes(in, from, end - from);
            to.write(out, to.voidPromise());
        }

        /** The index after the head's blank line; 0 if the head is not all here; -1 if it is refused. */
        private int head(ByteBuf in, int i, int limit) {
            cutCount = 0;
            contentLength = -1;
            hostAt = -1;
            traceHeaders = 0;
            i = requests ? requestLine(in, i, limit) : statusLine(in, i, limit);
            while (i > 0) {
                if (i + 1 >= limit) {
                    return 0;
                }
                if (in.getByte(i) == '\r') {
                    return in.getByte(i + 1) == '\n' ? i + 2 : -1;
                }
                i = field(in, i, limit);
            }
            return i;
        }

        private static int requestLine(ByteBuf in, int i, int limit) {
            i = word(in, i, limit, TOKEN); // method
            if (i > 0) {
                i = word(in, i, limit, TARGET);
            }
            return i > 0 ? version(in, i, limit, true) : i;
        }

        /** One or more bytes of the table's class, then SP: the index after the SP, 0 if not all here, -1 if refused. */
        private static int word(ByteBuf in, int i, int limit, boolean[] table) {
            int end = skip(in, i, limit, table);
            if (end >= limit) {
                return 0;
            }
            return end > i && in.getByte(end) == ' ' ? end + 1 : -1;
        }

        /** The first index from i on whose byte is not of the table's class (limit if all are). */
        private static int skip(ByteBuf in, int i, int limit, boolean[] table) {
            while (i < limit && table[in.getByte(i) & 0xff]) {
                i++;
            }
            return i;
        }

        private static int statusLine(ByteBuf in, int i, int limit) {
            i = version(in, i, limit, false);
            if (i <= 0) {
                return i;
            }
            if (i + 4 > limit) {
                return 0;
            }
            for (int d = 0; d < 3; d++) {
                byte c = in.getByte(i++);
                if (c < '0' || c > '9') {
                    return -1;
                }
            }
            if (in.getByte(i++) != ' ') {
                return -1;
            }
            return endOfLine(in, skip(in, i, limit, VALUE), limit); // after the reason-phrase
        }

        /** "HTTP/1.1" or "HTTP/1.0", then CRLF (a request line) or SP (a status line). */
        private static int version(ByteBuf in, int i, int limit, boolean lineEnds) {
            if (i + 9 > limit) {
                return 0;
            }
            if (in.getByte(i) != 'H' || in.getByte(i + 1) != 'T' || in.getByte(i + 2) != 'T' || in.getByte(i + 3) != 'P'
                    || in.getByte(i + 4) != '/' || in.getByte(i + 5) != '1' || in.getByte(i + 6) != '.') {
                return -1;
            }
            byte minor = in.getByte(i + 7);
            if (minor != '0' && minor != '1') {
                return -1;
            }
            i += 8;
            if (lineEnds) {
                return endOfLine(in, i, limit);
            }
            return in.getByte(i) == ' ' ? i + 1 : -1;
        }

        private static int endOfLine(ByteBuf in, int i, int limit) {
            if (i + 2 > limit) {
                return 0;
            }
            return in.getByte(i) == '\r' && in.getByte(i + 1) == '\n' ? i + 2 : -1;
        }

        /** One header line: token, colon, optional whitespace, value, CRLF. */
        private int field(ByteBuf in, int i, int limit) {
            int nameStart = i;
            i = skip(in, i, limit, TOKEN);
            if (i >= limit) {
                return 0;
            }
            if (i == nameStart || in.getByte(i) != ':') { // also a space before the colon, or obs-fold
                return -1;
            }
            int nameEnd = i;
            i = skip(in, i + 1, limit, VALUE);
            int lineEnd = endOfLine(in, i, limit);
            if (lineEnd <= 0) {
                return lineEnd;
            }
            return act(in, nameStart, nameEnd - nameStart, nameEnd + 1, i, lineEnd) ? lineEnd : -1;
        }

        /** What a proxy does with the headers it acts on; false refuses the head. */
        private boolean act(ByteBuf in, int name, int length, int valueStart, int valueEnd, int lineEnd) {
            switch (length) {
                case 2 -> {
                    if (is(in, name, "te")) {
                        return cut(name, lineEnd);
                    }
                    if (is(in, name, "b3")) {
                        traceHeaders++;
                    }
                }
                case 4 -> {
                    if (is(in, name, "host")) {
                        if (hostAt >= 0) {
                            return false; // two Host headers
                        }
                        hostAt = valueStart;
                    }
                }
                case 7 -> {
                    if (is(in, name, "upgrade")) {
                        return cut(name, lineEnd);
                    }
                }
                case 10 -> {
                    if (is(in, name, "connection") || is(in, name, "keep-alive")) {
                        return cut(name, lineEnd);
                    }
                    if (is(in, name, "x-b3-flags")) {
                        traceHeaders++;
                    }
                }
                case 11 -> {
                    if (is(in, name, "traceparent") || is(in, name, "x-b3-spanid")) {
                        traceHeaders++;
                    }
                }
                case 12 -> {
                    if (is(in, name, "x-b3-traceid") || is(in, name, "x-b3-sampled")) {
                        traceHeaders++;
                    }
                }
                case 14 -> {
                    if (is(in, name, "content-length")) {
                        return contentLength(in, valueStart, valueEnd);
                    }
                }
                case 16 -> {
                    if (is(in, name, "proxy-connection")) {
                        return cut(name, lineEnd);
                    }
                }
                case 17 -> {
                    if (is(in, name, "transfer-encoding")) {
                        return false; // chunked bodies: not in this prototype
                    }
                    if (is(in, name, "x-b3-parentspanid")) {
                        traceHeaders++;
                    }
                }
                default -> { }
            }
            return true;
        }

        private boolean cut(int from, int to) {
            if (cutCount == cuts.length) {
                return false;
            }
            cuts[cutCount++] = from;
            cuts[cutCount++] = to;
            return true;
        }

        /** Digits only, at most 18 of them, and only once per head. */
        private boolean contentLength(ByteBuf in, int i, int end) {
            while (i < end && (in.getByte(i) == ' ' || in.getByte(i) == '\t')) {
                i++;
            }
            while (end > i && (in.getByte(end - 1) == ' ' || in.getByte(end - 1) == '\t')) {
                end--;
            }
            if (contentLength >= 0 || i == end || end - i > 18) {
                return false;
            }
            long value = 0;
            for (; i < end; i++) {
                byte c = in.getByte(i);
                if (c < '0' || c > '9') {
                    return false;
                }
                value = value * 10 + (c - '0');
            }
            contentLength = value;
            return true;
        }

        /** The header name at {@code at} is {@code lower}, ignoring ASCII case (its length is known equal). */
        private static boolean is(ByteBuf in, int at, String lower) {
            for (int k = 0; k < lower.length(); k++) {
                if ((in.getByte(at + k) | 0x20) != lower.charAt(k)) {
                    return false;
                }
            }
            return true;
        }
    }
}
