package io.emojivoto.emoji;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class EmojiSvcApplication {

    public static void main(String[] args) {
        SpringApplication.run(EmojiSvcApplication.class, args);
    }
}
