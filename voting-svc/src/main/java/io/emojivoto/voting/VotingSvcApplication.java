package io.emojivoto.voting;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class VotingSvcApplication {

    public static void main(String[] args) {
        SpringApplication.run(VotingSvcApplication.class, args);
    }
}
