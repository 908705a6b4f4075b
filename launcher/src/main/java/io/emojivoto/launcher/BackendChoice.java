package io.emojivoto.launcher;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which trace backend a local run reports to ({@code --backend}). */
public enum BackendChoice {
    /** A Zipkin server: collector, store and UI in one Java process (the default: nothing to install). */
    ZIPKIN,
    /** The Kubernetes trace path: the collector configuration of tracing.yml, then OTLP to Jaeger v2. */
    JAEGER;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BackendChoice parse(String value) {
        for (BackendChoice backend : values()) {
            if (backend.label().equals(value)) {
                return backend;
            }
        }
        throw new UsageException("--backend must be one of " + allowed() + ", got '" + value + "'");
    }

    public static String allowed() {
        return Arrays.stream(values()).map(BackendChoice::label).collect(Collectors.joining(", "));
    }
}
