package io.emojivoto.proxy.http1;

import io.netty.handler.codec.http.HttpMethod;

/**
 * Which HTTP/1.1 responses carry no body, whatever their header fields say (RFC 9112 §6.3): an
 * interim (1xx), 204, 304 and any response to HEAD. The decoder reads framing by it and the exchange
 * decides keep-alive and chunking by it, for a response that may have come over HTTP/2 upstream
 * and never met the decoder; so the rule lives here once.
 */
public final class ResponseBody {

    private ResponseBody() {
    }

    public static boolean absent(HttpMethod requestMethod, int status) {
        return status < 200 || status == 204 || status == 304 || HttpMethod.HEAD.equals(requestMethod);
    }
}
