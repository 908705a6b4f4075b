package io.emojivoto.emoji;

import io.emojivoto.common.ServiceTracing;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * emoji-svc: the emoji catalogue over gRPC ({@link EmojiGrpcService}). How its spans are made and
 * reported, in five steps: {@link ServiceTracing}.
 */
@SpringBootApplication
@Import(ServiceTracing.class)
public class EmojiSvcApplication {

    public static void main(String[] args) {
        SpringApplication.run(EmojiSvcApplication.class, args);
    }
}
