package io.emojivoto.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.emojivoto.testkit.Browser;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The UI in headless Chromium against web-svc and the real services: the grid, a vote the
 * leaderboard then shows, and the doughnut's failure. Saves screenshots to docs/.
 */
@ExtendWith(Backends.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "web.message-of-the-day=Welcome to the tracing workshop: vote, then open the trace.")
class WebUiBrowserTest {

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        Backends.register(registry);
    }

    private static ChromeDriver browser;

    @LocalServerPort
    int port;

    @BeforeAll
    static void openBrowser() {
        browser = Browser.start(1280, 900);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(15));
    }

    private List<WebElement> openVoteGrid() {
        browser.get("http://127.0.0.1:" + port + "/");
        waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#emoji-grid .emoji-votable"), 99));
        return browser.findElements(By.cssSelector("#emoji-grid .emoji-votable"));
    }

    @Test
    void shows_the_99_emoji_records_a_click_as_a_vote_and_the_leaderboard_shows_it() {
        List<WebElement> grid = openVoteGrid();
        assertThat(grid.get(0).getText()).isEqualTo("\uD83D\uDE02");
        Browser.screenshotToDocs(browser, "vote-page");

        browser.findElement(By.cssSelector("[data-shortcode=':trophy:']")).click();
        WebElement result = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("vote-result")));
        assertThat(result.getText()).contains("You picked:", ":trophy:");
        Browser.screenshotToDocs(browser, "vote-result");

        browser.findElement(By.linkText("View the leaderboard")).click();
        WebElement trophy = waiting().until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#leaderboard [data-shortcode=':trophy:']")));
        assertThat(Integer.parseInt(trophy.findElement(By.className("votes")).getText())).isGreaterThanOrEqualTo(1);
        assertThat(browser.getCurrentUrl()).endsWith("/leaderboard");
        Browser.screenshotToDocs(browser, "leaderboard");
    }

    @Test
    void a_doughnut_vote_shows_the_demo_failure_message() {
        openVoteGrid();
        browser.findElement(By.cssSelector("[data-shortcode=':doughnut:']")).click();
        WebElement message = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("doughnut-message")));
        assertThat(message.getText()).contains("fails on purpose");
        assertThat(browser.findElement(By.id("vote-error")).getText()).contains("rpc error");
        Browser.screenshotToDocs(browser, "vote-doughnut-error");
    }

    @Test
    void the_leaderboard_route_loads_directly() {
        browser.get("http://127.0.0.1:" + port + "/leaderboard");
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Leaderboard"));
        assertThat(browser.findElement(By.id("leaderboard-mode")).getText())
                .isEqualTo("Leaderboard mode: per-emoji (web-svc's switch leaderboard).");
        assertThat(browser.findElement(By.className("lead")).getText()).as("the page does not give lab 4's answer away")
                .doesNotContain("per emoji").doesNotContain("call per");
    }
}
