package io.emojivoto.common;

import java.util.Locale;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The one propagation setting every part of the pipeline has: {@code TRACE_PROPAGATION=b3} (the
 * default: B3 multi-headers, the 2019 design) or {@code w3c} (W3C {@code traceparent}, as Linkerd and
 * today's emojivoto use). It picks the format a service <em>produces</em> on its outgoing calls and
 * echoes on its responses; a service accepts B3 (multi and single) and W3C whatever it produces,
 * unless {@code TRACE_PROPAGATION_ACCEPT} narrows that to {@code b3} or {@code w3c} (a service that
 * knows only one format, as older ones do: the workshop's mixed-hops lab has one). In Spring Boot's
 * terms: {@code management.tracing.propagation.produce} and {@code .consume}. An unknown value stops
 * the service at startup.
 */
public class TracePropagation implements EnvironmentPostProcessor {

    static final String VARIABLE = "TRACE_PROPAGATION";
    static final String ACCEPT = "TRACE_PROPAGATION_ACCEPT";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String mode = environment.getProperty(VARIABLE, "b3").trim().toLowerCase(Locale.ROOT);
        String produce = switch (mode) {
            case "b3" -> "b3_multi"; // Spring's "b3" is the single header
            case "w3c" -> "w3c";
            default -> throw new IllegalArgumentException(VARIABLE + " must be b3 or w3c, got '" + mode + "'");
        };
        String accept = environment.getProperty(ACCEPT, "all").trim().toLowerCase(Locale.ROOT);
        String consume = switch (accept) {
            case "all" -> "b3_multi,b3,w3c";
            case "b3" -> "b3_multi,b3";
            case "w3c" -> "w3c";
            default -> throw new IllegalArgumentException(ACCEPT + " must be all, b3 or w3c, got '" + accept + "'");
        };
        Map<String, Object> properties = new java.util.HashMap<>(Map.of("management.tracing.propagation.produce", produce,
                "management.tracing.propagation.consume", consume, "emojivoto.propagation", mode));
        if (mode.equals("w3c")) { // the learner's baggage (LearnerBaggage), carried in W3C's `baggage` header
            properties.put("management.tracing.baggage.remote-fields", io.emojivoto.spanvocabulary.SpanVocabulary.LEARNER);
        }
        environment.getPropertySources().addFirst(new MapPropertySource("emojivoto-trace-propagation", properties));
    }
}
