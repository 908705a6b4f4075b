package io.emojivoto.voting;

import io.emojivoto.common.ServiceTracing;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/**
 * voting-svc: the poll over gRPC ({@link VotingGrpcService}). How its spans are made and
 * reported, in five steps: {@link ServiceTracing}.
 */
@SpringBootApplication
@Import(ServiceTracing.class)
@ConfigurationPropertiesScan
public class VotingSvcApplication {

    public static void main(String[] args) {
        SpringApplication.run(VotingSvcApplication.class, args);
    }
}
