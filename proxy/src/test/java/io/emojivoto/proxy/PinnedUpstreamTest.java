package io.emojivoto.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The upstream HTTP/1.1 connection a client connection keeps between its requests, over real sockets. */
class PinnedUpstreamTest {

    private final Transport transport = Transport.select(System.getProperty("proxy.transport", "auto"));
    private MultiThreadIoEventLoopGroup group;
    private Upstreams upstreams;
    private ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, transport.ioHandlers());
        upstreams = new Upstreams(group, transport, 2000);
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(server.accept());
                }
            } catch (Exception closed) {
                // the test is over
            }
        }, "pinned-upstream-test-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        for (Socket socket : accepted) {
            socket.close();
        }
        upstreams.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    @Test
    void a_connection_handed_back_while_paused_reads_again_and_is_reused() throws Exception {
        EventLoop loop = group.next();
        PinnedUpstream pinned = new PinnedUpstream(upstreams, loop);
        InetSocketAddress address = (InetSocketAddress) server.getLocalSocketAddress();
        Channel first = acquire(loop, pinned, address);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !accepted.isEmpty()); // the acceptor thread's list

        // As an exchange leaves it when its last response bytes went out while its client was slow:
        // reading paused, and no writability change to come that would resume it.
        loop.submit(() -> {
            first.config().setAutoRead(false);
            pinned.release(first, true);
        }).get(5, TimeUnit.SECONDS);

        assertThat(loop.submit(() -> first.config().isAutoRead()).get(5, TimeUnit.SECONDS))
                .as("the next request's answer must be read").isTrue();
        assertThat(acquire(loop, pinned, address)).isSameAs(first);
        assertThat(accepted).hasSize(1);

        // Read between exchanges, the connection notices at once when the upstream closes it.
        loop.submit(() -> pinned.release(first, true)).get(5, TimeUnit.SECONDS);
        accepted.get(0).close();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !first.isActive());
    }

    private static Channel acquire(EventLoop loop, PinnedUpstream pinned, InetSocketAddress address) throws Exception {
        return loop.submit(() -> pinned.acquire(address, new ChannelInboundHandlerAdapter(), loop.newPromise()))
                .get(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
    }
}
