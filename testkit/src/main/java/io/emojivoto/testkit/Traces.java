package io.emojivoto.testkit;

import io.emojivoto.localrun.TraceQueryApi;
import io.emojivoto.localrun.StoredSpan;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/** Waiting for a trace to reach a backend: spans arrive asynchronously, batched by each reporter. */
public final class Traces {

    private Traces() {
    }

    /** Waits until the trace's spans satisfy {@code done}, e.g. "has 7 spans", and returns them. */
    public static List<StoredSpan> await(TraceQueryApi backend, String traceId, Predicate<List<StoredSpan>> done,
                                         Duration timeout) {
        return Awaitility.await("trace " + traceId + " in " + backend.name())
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(250))
                .ignoreException(TraceQueryApi.Unavailable.class)
                .until(() -> backend.trace(traceId), done::test);
    }
}
