package io.emojivoto.web;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class WebSvcApplication {

    public static void main(String[] args) {
        SpringApplication.run(WebSvcApplication.class, args);
    }
}
