package io.emojivoto.web;

import io.emojivoto.common.ServiceTracing;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/**
 * web-svc: the HTTP API and the UI ({@link ApiController}), calling emoji-svc and voting-svc over
 * gRPC. How its spans are made and reported, in five steps: {@link ServiceTracing}.
 */
@SpringBootApplication
@Import(ServiceTracing.class)
@ConfigurationPropertiesScan
public class WebSvcApplication {

    public static void main(String[] args) {
        SpringApplication.run(WebSvcApplication.class, args);
    }
}
