package io.emojivoto.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.emojivoto.testkit.Browser;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Text from the server (here the message of the day) is shown as text, never parsed as markup. */
@ExtendWith(Backends.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "web.message-of-the-day=<img src=x id=injected onerror=alert(1)><script id=injected2>1</script>")
class WebUiEscapingTest {

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        Backends.register(registry);
    }

    @LocalServerPort
    int port;

    @Test
    void the_message_of_the_day_is_escaped() {
        ChromeDriver browser = Browser.start(1024, 768);
        try {
            browser.get("http://127.0.0.1:" + port + "/");
            new WebDriverWait(browser, Duration.ofSeconds(15)).until(
                    ExpectedConditions.visibilityOfElementLocated(By.id("motd")));
            assertThat(browser.findElement(By.id("motd")).getText())
                    .isEqualTo("<img src=x id=injected onerror=alert(1)><script id=injected2>1</script>");
            assertThat(browser.findElements(By.id("injected"))).isEmpty();
            assertThat(browser.findElements(By.id("injected2"))).isEmpty();
        } finally {
            browser.quit();
        }
    }
}
