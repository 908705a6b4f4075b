package io.emojivoto.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
    private LazyDeadline block; // runs from a HEADERS frame without END_HEADERS until the block ends

    /** @param prefaceLength bytes that come before the first frame (the client connection preface) */
    Http2HeaderBlockGuard(long timeoutMillis, int prefaceLength) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.skip = prefaceLength;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        block = new LazyDeadline(ctx.executor(), timeoutNanos, () -> ctx.channel().close()); // the codec says GOAWAY first
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            scan(buf);
        }
        ctx.fireChannelRead(msg);
    }

    private void scan(ByteBuf buf) {
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
                frame();
            }
        }
    }

    private void frame() {
        int length = (frameHeader[0] & 0xff) << 16 | (frameHeader[1] & 0xff) << 8 | frameHeader[2] & 0xff;
        int type = frameHeader[3] & 0xff;
        boolean endHeaders = (frameHeader[4] & END_HEADERS) != 0;
        if (type == HEADERS || type == CONTINUATION) {
            if (endHeaders) {
                block.stop();
            } else if (type == HEADERS) {
                block.restart();
            }
        }
        skip = length;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        block.cancel();
        ctx.fireChannelInactive();
    }
}
