package io.emojivoto.e2e;

import io.emojivoto.launcher.BackendChoice;
import io.emojivoto.launcher.Pipeline;
import io.emojivoto.localrun.StoredSpan;
import io.emojivoto.localrun.TraceQueryApi;
import io.emojivoto.localrun.ZipkinApi;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The pipeline with the default backend, Zipkin, that most of this module's tests share
 * ({@link SharedPipeline}); {@code @ExtendWith(RunningPipeline.class)} starts it once.
 */
public final class RunningPipeline implements BeforeAllCallback {

    static final String ARTIFICIAL_DELAY = SharedPipeline.ARTIFICIAL_DELAY;
    private static volatile SharedPipeline shared;

    @Override
    public void beforeAll(ExtensionContext context) {
        shared = SharedPipeline.of(context, BackendChoice.ZIPKIN);
    }

    static SharedPipeline shared() {
        return shared;
    }

    static String cli(String... args) throws Exception {
        return shared.cli(args);
    }

    static Pipeline get() {
        return shared.pipeline();
    }

    static TraceQueryApi backend() {
        return shared.backend();
    }

    /** The Zipkin server's own API, for what only Zipkin has (its dependency graph). */
    static ZipkinApi zipkin() {
        return new ZipkinApi(shared.backend().baseUrl());
    }

    static HttpResponse<String> get(String path) throws Exception {
        return shared.get(path);
    }

    static HttpResponse<String> sampled(String path) throws Exception {
        return shared.sampled(path);
    }

    static String traceId(HttpResponse<String> response) {
        return SharedPipeline.traceId(response);
    }

    static List<StoredSpan> completeTrace(HttpResponse<String> response, String path) {
        return shared.completeTrace(response, path);
    }

    static String ingressStatusUrl() {
        return shared.ingressStatusUrl();
    }
}
