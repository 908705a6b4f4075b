package io.emojivoto.web;

import org.springframework.http.HttpStatus;

/** A request the API answers with {@code status} and {@code {"error": message}}. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;

    public ApiException(HttpStatus status, String message) {
        super(message);
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }
}
