package io.emojivoto.proxy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The answers the proxy gives itself when it cannot forward: HTTP gets the status and a JSON
 * error; gRPC gets HTTP 200 with the matching grpc-status in a trailers-only response, which is
 * what gRPC clients understand.
 */
final class ProxyResponses {

    private ProxyResponses() {
    }

    static boolean isGrpc(HttpRequest request) {
        String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        return contentType != null && contentType.startsWith("application/grpc");
    }

    /** @param grpcStatus the gRPC code matching {@code status} (14 UNAVAILABLE, 4 DEADLINE_EXCEEDED, …) */
    static FullHttpResponse error(HttpRequest request, HttpResponseStatus status, int grpcStatus, String message) {
        if (isGrpc(request)) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.EMPTY_BUFFER);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/grpc")
                    .set("grpc-status", Integer.toString(grpcStatus))
                    .set("grpc-message", URLEncoder.encode(message, StandardCharsets.UTF_8).replace("+", "%20"));
            return response;
        }
        byte[] body = ("{\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}\n")
                .getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return response;
    }
}
