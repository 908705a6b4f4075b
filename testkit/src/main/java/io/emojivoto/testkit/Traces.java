package io.emojivoto.testkit;

import io.emojivoto.localrun.TraceBackend;
import io.emojivoto.localrun.ZipkinSpan;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/** Waiting for a trace to reach a backend: spans arrive asynchronously, batched by each reporter. */
public final class Traces {

    private Traces() {
    }

    /** Waits until the trace's spans satisfy {@code done}, e.g. "has 7 spans", and returns them. */
    public static List<ZipkinSpan> await(TraceBackend backend, String traceId, Predicate<List<ZipkinSpan>> done,
                                         Duration timeout) {
        return Awaitility.await("trace " + traceId + " in " + backend.name())
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(250))
                .ignoreException(TraceBackend.Unavailable.class)
                .until(() -> backend.trace(traceId), done::test);
    }
}
