package io.emojivoto.common.faults;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/** Every service gets a (possibly empty) set of switches and the endpoint that serves them. */
@AutoConfiguration
@ConditionalOnClass(org.springframework.boot.actuate.endpoint.annotation.Endpoint.class)
public class FaultsConfiguration {

    @Bean
    FaultSwitches faultSwitches() {
        return new FaultSwitches();
    }

    @Bean
    FaultsEndpoint faultsEndpoint(FaultSwitches switches, Environment environment) {
        return new FaultsEndpoint(environment.getProperty("spring.application.name", "service"), switches);
    }
}
