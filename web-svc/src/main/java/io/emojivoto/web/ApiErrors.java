package io.emojivoto.web;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Map;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every failure of the API is a JSON {@code {"error": "..."}} with a status that says whose fault
 * it is: 4xx for the request, 500 for a failed vote, 503 for a backend that is down, 504 for one
 * that is too slow.
 */
@RestControllerAdvice
class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Map<String, String>> api(ApiException e) {
        return json(e.status(), e.getMessage());
    }

    @ExceptionHandler(StatusRuntimeException.class)
    ResponseEntity<Map<String, String>> grpc(StatusRuntimeException e) {
        Status status = e.getStatus();
        HttpStatus http = switch (status.getCode()) {
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
            case DEADLINE_EXCEEDED -> HttpStatus.GATEWAY_TIMEOUT;
            default -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
        log.warn("gRPC call failed: {} {}", status.getCode(), status.getDescription());
        String message = "rpc error: code = " + status.getCode()
                + (status.getDescription() == null ? "" : " desc = " + status.getDescription());
        return json(http, message);
    }

    /** Tomcat refuses to parse a form body over server.tomcat.max-http-form-post-size. */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<Map<String, String>> tooLarge(InvalidParameterException e) {
        return json(HttpStatus.CONTENT_TOO_LARGE, "Request body too large");
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<Map<String, String>> notFound(NoResourceFoundException e) {
        return json(HttpStatus.NOT_FOUND, "No such resource: /" + e.getResourcePath());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Map<String, String>> method(HttpRequestMethodNotSupportedException e) {
        return json(HttpStatus.METHOD_NOT_ALLOWED, "Method " + e.getMethod() + " is not supported here");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Map<String, String>> mediaType(HttpMediaTypeNotSupportedException e) {
        return json(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content type " + e.getContentType() + " is not supported");
    }

    private static ResponseEntity<Map<String, String>> json(HttpStatus status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(ApiController.error(message));
    }
}
