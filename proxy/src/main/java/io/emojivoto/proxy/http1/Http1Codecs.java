package io.emojivoto.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

/**
 * The proxy's HTTP/1.1 codecs, one for each side: {@link Http1Decoder} in, Netty's encoders out,
 * where a message whose fields are still {@link WireHeaders} is written as the bytes it came in
 * (its start line too, while its method, target, version or status are the ones read). A whole
 * message still as read, save fields removed, skips the encoder: it is relayed as views of the
 * buffer it was read into ({@link WireHeaders#relayAsRead}), when written without a listener (as
 * the exchange writes) and, for a response, with a status whose framing Netty's encoder keeps.
 * As in Netty's own server and client codecs, each side's decoder and encoder share the methods
 * of the requests in flight: a response to HEAD has no body, whatever its header fields say.
 */
public final class Http1Codecs {

    private Http1Codecs() {
    }

    /** For a client's connection to the proxy: requests in, responses out. */
    public static ChannelHandler server(int maxLine, int maxHeaders) {
        Queue<HttpMethod> methods = new ArrayDeque<>(2);
        return new CombinedChannelDuplexHandler<>(new Http1Decoder.Requests(maxLine, maxHeaders, methods), new Responses(methods));
    }

    /** For the proxy's connection to an upstream: requests out, responses in. */
    public static ChannelHandler client(int maxLine, int maxHeaders) {
        Queue<HttpMethod> methods = new ArrayDeque<>(2);
        return new CombinedChannelDuplexHandler<>(new Http1Decoder.Responses(maxLine, maxHeaders, methods), new Requests(methods));
    }

    static final class Responses extends HttpResponseEncoder {

        private final Queue<HttpMethod> methods;
        private boolean inMessage; // a head went to Netty's encoder, its body's last piece not yet

        Responses(Queue<HttpMethod> methods) {
            this.methods = methods;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (!inMessage && promise.isVoid() && msg instanceof FullHttpResponse response
                    && response.headers() instanceof WireHeaders wire && framedAsRead(response.status().code())
                    && wire.relayAsRead(ctx, response.content(), response.protocolVersion(), response.status(), null)) {
                methods.poll();
                response.release();
                return;
            }
            super.write(ctx, msg, promise);
            inMessage = inMessageAfter(msg, inMessage);
        }

        /** Whether Netty's encoder would write a response of this status as it came: it strips the framing of these. */
        private static boolean framedAsRead(int code) {
            return code >= 200 && code != 204 && code != 205 && code != 304;
        }

        @Override
        protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
            if (!writtenAsTheyCame(headers, buf)) {
                super.encodeHeaders(headers, buf);
            }
        }

        @Override
        protected void encodeInitialLine(ByteBuf buf, HttpResponse response) throws Exception {
            if (!(response.headers() instanceof WireHeaders wire)
                    || !wire.writeStartLineIfSame(buf, response.protocolVersion(), response.status(), null)) {
                super.encodeInitialLine(buf, response);
            }
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse response) {
            // Interim responses (100 Continue) come before the final one to the same request.
            HttpMethod method = response.status().codeClass() == HttpStatusClass.INFORMATIONAL ? null : methods.poll();
            return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(response);
        }
    }

    static final class Requests extends HttpRequestEncoder {

        private final Queue<HttpMethod> methods;
        private boolean inMessage; // a head went to Netty's encoder, its body's last piece not yet

        Requests(Queue<HttpMethod> methods) {
            this.methods = methods;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (!inMessage && promise.isVoid() && msg instanceof FullHttpRequest request
                    && request.headers() instanceof WireHeaders wire
                    && wire.relayAsRead(ctx, request.content(), request.method(), request.uri(), request.protocolVersion())) {
                methods.add(request.method());
                request.release();
                return;
            }
            super.write(ctx, msg, promise);
            inMessage = inMessageAfter(msg, inMessage);
        }

        @Override
        protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) throws Exception {
            if (msg instanceof HttpRequest request) {
                methods.add(request.method());
            }
            super.encode(ctx, msg, out);
        }

        @Override
        protected void encodeInitialLine(ByteBuf buf, HttpRequest request) throws Exception {
            if (!(request.headers() instanceof WireHeaders wire)
                    || !wire.writeStartLineIfSame(buf, request.method(), request.uri(), request.protocolVersion())) {
                super.encodeInitialLine(buf, request);
            }
        }

        @Override
        protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
            if (!writtenAsTheyCame(headers, buf)) {
                super.encodeHeaders(headers, buf);
            }
        }
    }

    /**
     * Whether a message is under way after {@code msg} went to Netty's encoder: a head alone starts
     * one, a body's last piece ends it. A whole message is relayed as read only between messages,
     * where Netty's encoder would take it too (it refuses one in the middle of another).
     */
    private static boolean inMessageAfter(Object msg, boolean before) {
        if (msg instanceof LastHttpContent) {
            return false;
        }
        return before || msg instanceof HttpMessage;
    }

    /** Fields read in place go out as the bytes they came in; false for any others, which Netty's encoders write. */
    private static boolean writtenAsTheyCame(HttpHeaders headers, ByteBuf buf) {
        if (headers instanceof WireHeaders wire) {
            wire.writeTo(buf);
            return true;
        }
        return false;
    }
}
