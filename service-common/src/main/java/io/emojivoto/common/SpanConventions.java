package io.emojivoto.common;

import static io.emojivoto.spanvocabulary.SpanVocabulary.ERROR;
import static io.emojivoto.spanvocabulary.SpanVocabulary.ERROR_TYPE;
import static io.emojivoto.spanvocabulary.SpanVocabulary.RPC_GRPC_STATUS_CODE;
import static io.emojivoto.spanvocabulary.SpanVocabulary.RPC_SYSTEM;
import static io.emojivoto.spanvocabulary.SpanVocabulary.SERVER_ADDRESS;
import static io.emojivoto.spanvocabulary.SpanVocabulary.SERVER_PORT;

import io.grpc.Status;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.binder.grpc.DefaultGrpcClientObservationConvention;
import io.micrometer.core.instrument.binder.grpc.DefaultGrpcServerObservationConvention;
import io.micrometer.core.instrument.binder.grpc.GrpcClientObservationContext;
import io.micrometer.core.instrument.binder.grpc.GrpcClientObservationConvention;
import io.micrometer.core.instrument.binder.grpc.GrpcServerObservationContext;
import io.micrometer.core.instrument.binder.grpc.GrpcServerObservationConvention;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.OpenTelemetryServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.http.server.observation.ServerRequestObservationConvention;

/**
 * The tags on the spans Micrometer's observations make for a service, in the pipeline's one vocabulary
 * (docs/spans.md): OpenTelemetry's semantic-convention names, as the proxy and the ingress use them, and
 * an {@code error} tag on the spans of failed calls, which is what Zipkin and Jaeger mark. (Micrometer
 * records only the status when a call fails without an exception escaping, so a failed doughnut vote
 * would otherwise look healthy in the trace from voting-svc up to web-svc.) HTTP takes Spring's own
 * OpenTelemetry convention, less what the conventions do not ask for; gRPC, Micrometer's, with its older
 * names renamed. A span carries what a learner reads, and every tag costs its encoding on each traced
 * request.
 */
@Configuration(proxyBeanMethods = false) // imported by ServiceTracing
public class SpanConventions {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.grpc.ServerInterceptor")
    static class Grpc {

        @Bean
        GrpcServerObservationConvention grpcServerConvention() {
            return new DefaultGrpcServerObservationConvention() {
                @Override
                public KeyValues getLowCardinalityKeyValues(GrpcServerObservationContext context) {
                    return semantic(super.getLowCardinalityKeyValues(context));
                }

                @Override
                public KeyValues getHighCardinalityKeyValues(GrpcServerObservationContext context) {
                    return withGrpcError(semantic(super.getHighCardinalityKeyValues(context)), context.getStatusCode());
                }
            };
        }

        @Bean
        GrpcClientObservationConvention grpcClientConvention() {
            return new DefaultGrpcClientObservationConvention() {
                @Override
                public KeyValues getLowCardinalityKeyValues(GrpcClientObservationContext context) {
                    return semantic(super.getLowCardinalityKeyValues(context));
                }

                @Override
                public KeyValues getHighCardinalityKeyValues(GrpcClientObservationContext context) {
                    return withGrpcError(semantic(super.getHighCardinalityKeyValues(context)), context.getStatusCode());
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "jakarta.servlet.http.HttpServletRequest")
    static class Http {

        @Bean
        ServerRequestObservationConvention httpServerConvention() {
            return new HttpServerConvention();
        }
    }

    /**
     * Spring's OpenTelemetry convention for an HTTP server span, held to the semantic conventions' letter:
     * {@code error.type} only on a failed request (Spring sets {@code none} on every other),
     * {@code http.request.method_original} only when the method is not one of HTTP's (Spring sets it
     * always), and no {@code outcome} (Spring's own summary of the status, which the status already says).
     * The low-cardinality values also name the {@code http.server.requests} metric's tags: what only
     * some requests carry is high-cardinality, on the span alone, so that every series of the metric has
     * the same tag keys.
     */
    static class HttpServerConvention extends OpenTelemetryServerRequestObservationConvention {

        /** What {@code http.request.method} says for a method that is not one of HTTP's. */
        private static final String OTHER_METHOD = "_OTHER";

        @Override
        public KeyValues getLowCardinalityKeyValues(ServerRequestObservationContext context) {
            return KeyValues.of(method(context), status(context), pathTemplate(context), scheme(context));
        }

        @Override
        public KeyValues getHighCardinalityKeyValues(ServerRequestObservationContext context) {
            KeyValues values = KeyValues.of(httpUrl(context));
            if (OTHER_METHOD.equals(method(context).getValue())) {
                values = values.and(methodOriginal(context));
            }
            if (context.getError() != null) {
                return values.and(exception(context)); // the exception's class; the tracer tags the span error itself
            }
            int status = statusOf(context);
            // A server error without an exception: its status is the error's type, and Zipkin's and Jaeger's mark.
            return status >= 500 ? values.and(KeyValue.of(ERROR_TYPE, Integer.toString(status)), KeyValue.of(ERROR, Integer.toString(status)))
                    : values;
        }

        private static int statusOf(ServerRequestObservationContext context) {
            return context.getResponse() == null ? 0 : context.getResponse().getStatus();
        }
    }

    /** Micrometer's gRPC names as the semantic conventions spell them: the status as its number, the server as server.*, no rpc.type. */
    static KeyValues semantic(KeyValues values) {
        List<KeyValue> renamed = new ArrayList<>();
        for (KeyValue value : values) {
            if (value.getKey().equals("rpc.type")) {
                continue; // UNARY, SERVER_STREAMING…: Micrometer's, in no convention, and the same on every call here
            }
            renamed.add(switch (value.getKey()) {
                case "grpc.status_code" -> KeyValue.of(RPC_GRPC_STATUS_CODE, statusNumber(value.getValue()));
                case "net.peer.name" -> KeyValue.of(SERVER_ADDRESS, value.getValue());
                case "net.peer.port" -> KeyValue.of(SERVER_PORT, value.getValue());
                default -> value;
            });
        }
        if (!renamed.isEmpty()) {
            renamed.add(KeyValue.of(RPC_SYSTEM, "grpc"));
        }
        return KeyValues.of(renamed);
    }

    private static String statusNumber(String name) {
        try {
            return Integer.toString(Status.Code.valueOf(name).value());
        } catch (IllegalArgumentException e) {
            return name;
        }
    }

    static KeyValues withGrpcError(KeyValues values, Status.Code code) {
        return code != null && code != Status.Code.OK ? values.and(KeyValue.of(ERROR, code.name())) : values;
    }
}
