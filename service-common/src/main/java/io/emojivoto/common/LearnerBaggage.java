package io.emojivoto.common;

import brave.baggage.BaggageField;
import brave.baggage.BaggagePropagationConfig.SingleBaggageField;
import brave.baggage.BaggagePropagationCustomizer;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import io.emojivoto.spanvocabulary.SpanVocabulary;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * The learner's name, which the ingress sends as baggage with every request from a browser whose
 * learner gave one (the UI's {@code learner} cookie): each service reads it with the trace context,
 * writes it on its own calls, and tags every span it makes with it ({@code learner}).
 * <ul>
 *   <li><b>On the wire</b>: in W3C mode Spring Boot's {@code management.tracing.baggage.remote-fields},
 *       set by {@link TracePropagation}, carries it in the W3C {@code baggage} header (and, as Brave does
 *       for every remote field, in a header of its own name, {@code learner}). In B3 mode its name on the
 *       wire differs from its name as a tag (B3's convention is one {@code baggage-<name>} header per
 *       entry), which the property cannot say: {@link #learnerAsB3Baggage()} does.
 *   <li><b>On the spans</b>: {@link #learnerTag()} copies the value onto each span as it ends, before it
 *       is reported. (Spring Boot's {@code tag-fields} tags only baggage set through Micrometer's API,
 *       not baggage that came in with a request.)
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class LearnerBaggage {

    static final String B3_HEADER = "baggage-" + SpanVocabulary.LEARNER;

    @Bean
    @ConditionalOnProperty(name = "emojivoto.propagation", havingValue = "b3", matchIfMissing = true)
    BaggagePropagationCustomizer learnerAsB3Baggage() {
        return builder -> builder.add(SingleBaggageField.newBuilder(BaggageField.create(SpanVocabulary.LEARNER))
                .addKeyName(B3_HEADER).build());
    }

    /** First of the span handlers, so that the reporter sends the span with its tag. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SpanHandler learnerTag() {
        return new SpanHandler() {
            @Override
            public boolean end(TraceContext context, MutableSpan span, Cause cause) {
                BaggageField learner = BaggageField.getByName(context, SpanVocabulary.LEARNER);
                String value = learner == null ? null : learner.getValue(context);
                if (value != null && !value.isEmpty()) {
                    span.tag(SpanVocabulary.LEARNER, value);
                }
                return true;
            }
        };
    }
}
