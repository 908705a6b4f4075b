package io.emojivoto.localrun;

import java.util.List;

/**
 * A trace backend that the pipeline reports to, read back through its query API: Zipkin's
 * {@code /api/v2/trace/{id}} or Jaeger's {@code /api/traces/{id}}. Whatever the backend, a trace
 * comes back in the Zipkin v2 model that every part reports in ({@link StoredSpan}), so that one
 * checker judges both.
 */
public interface TraceQueryApi {

    /** "Zipkin" or "Jaeger", for messages. */
    String name();

    /** Where its query API and UI answer, e.g. {@code http://127.0.0.1:9411}. */
    String baseUrl();

    /** Whether it answers its health check right now. */
    boolean healthy();

    /**
     * The spans of one trace; empty when the backend has none for that id.
     *
     * @throws Unavailable when the backend does not answer, or answers with an error
     */
    List<StoredSpan> trace(String traceId);

    /**
     * Traces that have a span of {@code service} started within the last {@code within}, at most
     * {@code limit} of them, in no particular order (each backend orders its search differently).
     *
     * @throws Unavailable when the backend does not answer, or answers with an error
     */
    List<List<StoredSpan>> recentTraces(String service, java.time.Duration within, int limit);

    /**
     * Traces of the last hour with a span of {@code service} tagged {@code tag=value}: the search a person
     * makes in the backend's UI (Zipkin's annotation query, Jaeger's tags).
     *
     * @throws Unavailable when the backend does not answer, or answers with an error
     */
    List<List<StoredSpan>> tracesTagged(String service, String tag, String value, int limit);

    /** The backend did not answer a query: its traces are unknown, not partial. */
    final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
