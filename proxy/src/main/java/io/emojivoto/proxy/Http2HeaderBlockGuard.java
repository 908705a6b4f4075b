package io.emojivoto.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/2's slow-loris guard, the counterpart of {@link SlowHeaderGuard}: a header block (a HEADERS
 * frame and its CONTINUATION frames) must be complete within the header timeout of its first frame,
 * or the connection is closed (GOAWAY, then close). A client trickling CONTINUATION frames keeps its
 * connection busy, so the idle timeout alone would never end it, and the codec only sees the block
 * once it is whole. This reads nothing but the 9-byte frame headers as the bytes go by.
 */
final class Http2HeaderBlockGuard extends ChannelInboundHandlerAdapter {

    private static final int FRAME_HEADER = 9;
    private static final int HEADERS = 0x1;
    private static final int CONTINUATION = 0x9;
    private static final int END_HEADERS = 0x4;

    private final long timeoutNanos;
    private final byte[] frameHeader = new byte[FRAME_HEADER];
    private int frameHeaderFill;
    private int skip; // bytes to pass before the next frame header: the preface, then each frame's payload
    private long blockStartedNanos = -1;
    private ScheduledFuture<?> timer; // at most one, re-armed lazily

    /** @param prefaceLength bytes that come before the first frame (the client connection preface) */
    Http2HeaderBlockGuard(long timeoutMillis, int prefaceLength) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.skip = prefaceLength;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            scan(ctx, buf);
        }
        ctx.fireChannelRead(msg);
    }

    private void scan(ChannelHandlerContext ctx, ByteBuf buf) {
        int i = buf.readerIndex();
        int end = buf.writerIndex();
        while (i < end) {
            if (skip > 0) {
                int n = Math.min(skip, end - i);
                skip -= n;
                i += n;
                continue;
            }
            frameHeader[frameHeaderFill++] = buf.getByte(i++);
            if (frameHeaderFill == FRAME_HEADER) {
                frameHeaderFill = 0;
                frame(ctx);
            }
        }
    }

    private void frame(ChannelHandlerContext ctx) {
        int length = (frameHeader[0] & 0xff) << 16 | (frameHeader[1] & 0xff) << 8 | frameHeader[2] & 0xff;
        int type = frameHeader[3] & 0xff;
        boolean endHeaders = (frameHeader[4] & END_HEADERS) != 0;
        if (type == HEADERS || type == CONTINUATION) {
            if (endHeaders) {
                blockStartedNanos = -1;
            } else if (type == HEADERS) {
                blockStartedNanos = System.nanoTime();
                if (timer == null) {
                    arm(ctx, timeoutNanos);
                }
            }
        }
        skip = length;
    }

    private void arm(ChannelHandlerContext ctx, long delayNanos) {
        timer = ctx.executor().schedule(() -> check(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check(ChannelHandlerContext ctx) {
        timer = null;
        if (blockStartedNanos < 0 || !ctx.channel().isActive()) {
            return;
        }
        long left = blockStartedNanos + timeoutNanos - System.nanoTime();
        if (left > 0) {
            arm(ctx, left);
        } else {
            ctx.channel().close(); // the HTTP/2 codec says GOAWAY first
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        ctx.fireChannelInactive();
    }
}
