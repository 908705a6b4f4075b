package io.emojivoto.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.List;
import java.util.function.Consumer;

/**
 * Tells HTTP/2 with prior knowledge (what gRPC clients send) from HTTP/1.1 by the first bytes of a
 * connection, sets up the pipeline for the one it is, and steps aside.
 */
final class ProtocolDetector extends ByteToMessageDecoder {

    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    private final Consumer<ChannelHandlerContext> http2;
    private final Consumer<ChannelHandlerContext> http1;

    ProtocolDetector(Consumer<ChannelHandlerContext> http2, Consumer<ChannelHandlerContext> http1) {
        this.http2 = http2;
        this.http1 = http1;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int prefaceLength = PREFACE.readableBytes();
        int compared = Math.min(in.readableBytes(), prefaceLength);
        boolean samePrefix = ByteBufUtil.equals(in, in.readerIndex(), PREFACE, PREFACE.readerIndex(), compared);
        if (samePrefix && compared < prefaceLength) {
            return; // could still be HTTP/2: wait for more bytes
        }
        if (samePrefix) {
            http2.accept(ctx);
        } else {
            http1.accept(ctx);
        }
        ctx.pipeline().remove(this); // hands the buffered bytes to the handlers just added
    }
}
