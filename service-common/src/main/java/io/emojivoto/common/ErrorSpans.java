package io.emojivoto.common;

import io.grpc.Status;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.binder.grpc.DefaultGrpcClientObservationConvention;
import io.micrometer.core.instrument.binder.grpc.DefaultGrpcServerObservationConvention;
import io.micrometer.core.instrument.binder.grpc.GrpcClientObservationContext;
import io.micrometer.core.instrument.binder.grpc.GrpcClientObservationConvention;
import io.micrometer.core.instrument.binder.grpc.GrpcServerObservationContext;
import io.micrometer.core.instrument.binder.grpc.GrpcServerObservationConvention;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.http.server.observation.ServerRequestObservationConvention;

/**
 * Marks the spans of failed calls with an {@code error} tag, which is what Zipkin and Jaeger show
 * in red. Micrometer's defaults only record the status (grpc.status_code=UNKNOWN, status=500) when
 * a call fails without an exception escaping, so a failed doughnut vote would look healthy in the
 * trace from voting-svc up to web-svc.
 */
@Configuration(proxyBeanMethods = false) // imported by ServiceTracing
public class ErrorSpans {

    static final String ERROR = "error";

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.grpc.ServerInterceptor")
    static class Grpc {

        @Bean
        GrpcServerObservationConvention errorTaggingGrpcServerConvention() {
            return new DefaultGrpcServerObservationConvention() {
                @Override
                public KeyValues getHighCardinalityKeyValues(GrpcServerObservationContext context) {
                    return withGrpcError(super.getHighCardinalityKeyValues(context), context.getStatusCode());
                }
            };
        }

        @Bean
        GrpcClientObservationConvention errorTaggingGrpcClientConvention() {
            return new DefaultGrpcClientObservationConvention() {
                @Override
                public KeyValues getHighCardinalityKeyValues(GrpcClientObservationContext context) {
                    return withGrpcError(super.getHighCardinalityKeyValues(context), context.getStatusCode());
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "jakarta.servlet.http.HttpServletRequest")
    static class Http {

        @Bean
        ServerRequestObservationConvention errorTaggingHttpServerConvention() {
            return new DefaultServerRequestObservationConvention() {
                @Override
                public KeyValues getHighCardinalityKeyValues(ServerRequestObservationContext context) {
                    KeyValues values = super.getHighCardinalityKeyValues(context);
                    int status = context.getResponse() == null ? 0 : context.getResponse().getStatus();
                    return status >= 500 && context.getError() == null
                            ? values.and(KeyValue.of(ERROR, Integer.toString(status)))
                            : values;
                }
            };
        }
    }

    static KeyValues withGrpcError(KeyValues values, Status.Code code) {
        return code != null && code != Status.Code.OK ? values.and(KeyValue.of(ERROR, code.name())) : values;
    }
}
