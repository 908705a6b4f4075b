package io.emojivoto.proxy;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The event-loop transport ({@code TRANSPORT}): the same proxy on any of them. {@code auto} takes the first
 * one that works here, in the order below; io_uring is often refused inside containers (their default
 * seccomp profile blocks its system calls), and then epoll is taken.
 */
public enum Transport {
    IO_URING(IoUring::isAvailable, IoUringIoHandler::newFactory, IoUringServerSocketChannel.class, IoUringSocketChannel.class),
    EPOLL(Epoll::isAvailable, EpollIoHandler::newFactory, EpollServerSocketChannel.class, EpollSocketChannel.class),
    NIO(() -> true, NioIoHandler::newFactory, NioServerSocketChannel.class, NioSocketChannel.class);

    private final Supplier<Boolean> available;
    private final Supplier<IoHandlerFactory> ioHandlers;
    private final Class<? extends ServerChannel> serverChannel;
    private final Class<? extends SocketChannel> channel;

    Transport(Supplier<Boolean> available, Supplier<IoHandlerFactory> ioHandlers,
              Class<? extends ServerChannel> serverChannel, Class<? extends SocketChannel> channel) {
        this.available = available;
        this.ioHandlers = ioHandlers;
        this.serverChannel = serverChannel;
        this.channel = channel;
    }

    /** {@code auto} or a transport's name; a named one that cannot run here is an error, not a silent fallback. */
    static Transport select(String wanted) {
        String name = wanted.trim().toLowerCase(Locale.ROOT);
        if (name.equals("auto")) {
            return Arrays.stream(values()).filter(Transport::available).findFirst().orElse(NIO);
        }
        Transport chosen = Arrays.stream(values()).filter(t -> t.configName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "TRANSPORT must be auto, io_uring, epoll or nio, got '" + wanted + "'"));
        if (!chosen.available()) {
            throw new IllegalArgumentException("TRANSPORT " + chosen.configName() + " is not available here");
        }
        return chosen;
    }

    boolean available() {
        try {
            return available.get();
        } catch (LinkageError e) { // its native library is missing for this platform
            return false;
        }
    }

    String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    IoHandlerFactory ioHandlers() {
        return ioHandlers.get();
    }

    Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }

    Class<? extends SocketChannel> channel() {
        return channel;
    }
}
