package io.emojivoto.common;

import brave.baggage.BaggageField;
import brave.baggage.BaggagePropagationConfig.SingleBaggageField;
import brave.baggage.BaggagePropagationCustomizer;
import io.emojivoto.spanvocabulary.SpanVocabulary;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The learner's name, which the ingress sends as baggage with every request from a browser whose
 * learner gave one (the UI's {@code learner} cookie), carried on by each service to the next and put
 * on its spans as the tag {@code learner}. Spring Boot's baggage properties, set by
 * {@link TracePropagation}, do the carrying and tagging: {@code management.tracing.baggage.tag-fields}
 * always, and in W3C mode {@code remote-fields}, which rides in the W3C {@code baggage} header (and,
 * as Brave does for every remote field, in a header of its own name, {@code learner}). In B3
 * mode the field's name on the wire differs from its name as a tag (B3's convention is one
 * {@code baggage-<name>} header per entry), which the properties cannot say: this customizer does.
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
}
