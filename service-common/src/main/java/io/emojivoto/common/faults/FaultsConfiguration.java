package io.emojivoto.common.faults;

import io.emojivoto.switches.Switches;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/** Every service gets a (possibly empty) set of switches and the endpoint that serves them. */
@AutoConfiguration
@ConditionalOnClass(org.springframework.boot.actuate.endpoint.annotation.Endpoint.class)
public class FaultsConfiguration {

    @Bean
    Switches switches(Environment environment) {
        return new Switches(environment.getProperty("spring.application.name", "service"));
    }

    @Bean
    FaultsEndpoint faultsEndpoint(Switches switches) {
        return new FaultsEndpoint(switches);
    }
}
