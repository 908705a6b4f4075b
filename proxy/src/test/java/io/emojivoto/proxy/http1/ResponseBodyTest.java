package io.emojivoto.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResponseBodyTest {

    @ParameterizedTest(name = "{0} {1}: no body = {2}")
    @CsvSource({
            "GET, 100, true", "GET, 103, true", "GET, 204, true", "GET, 304, true",
            "HEAD, 200, true", "HEAD, 404, true", // framed as for GET, but the body is never sent
            "GET, 200, false", "POST, 201, false", "GET, 404, false", "GET, 502, false",
            "GET, 205, false", // its content is empty, yet it is framed as any other (RFC 9110 §15.3.6)
            "OPTIONS, 200, false"})
    void a_response_has_no_body_when_rfc_9112_says_so(String method, int status, boolean absent) {
        assertThat(ResponseBody.absent(HttpMethod.valueOf(method), status)).isEqualTo(absent);
    }
}
