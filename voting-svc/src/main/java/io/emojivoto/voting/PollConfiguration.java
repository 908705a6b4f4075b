package io.emojivoto.voting;

import io.emojivoto.api.EmojiTable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class PollConfiguration {

    @Bean
    Poll poll() {
        return new Poll(EmojiTable.get());
    }
}
