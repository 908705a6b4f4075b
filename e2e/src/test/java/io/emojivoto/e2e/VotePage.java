package io.emojivoto.e2e;

import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The app's vote page in a browser, used as a learner uses it. */
final class VotePage {

    private VotePage() {
    }

    /**
     * Votes for {@code shortcode} on the page until a vote is sampled, as a learner does (the ingress samples
     * some votes only); returns the href of its "View this vote's trace" link, or null after 30 votes.
     */
    static String voteUntilTraced(ChromeDriver browser, String ingressUrl, String shortcode) {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(40));
        for (int attempt = 0; attempt < 30; attempt++) {
            browser.get(ingressUrl + "/");
            wait.until(d -> d.findElements(By.cssSelector("#emoji-grid .emoji-votable")).size() == 99);
            browser.findElement(By.cssSelector("[data-shortcode='" + shortcode + "']")).click();
            wait.until(d -> d.findElement(By.id("vote-result")).isDisplayed());
            List<WebElement> links = browser.findElements(By.id("trace-link"));
            if (!links.isEmpty()) {
                return links.get(0).getAttribute("href");
            }
        }
        return null;
    }

    /**
     * Opens the leaderboard page until its request is sampled, checking on each load that it names {@code mode}
     * and labels its link "View this page's trace"; returns the link's href, or null after 30 loads.
     */
    static String leaderboardUntilTraced(ChromeDriver browser, String ingressUrl, String mode) {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        for (int attempt = 0; attempt < 30; attempt++) {
            browser.get(ingressUrl + "/leaderboard");
            wait.until(d -> !d.findElements(By.id("leaderboard-mode")).isEmpty());
            org.assertj.core.api.Assertions.assertThat(browser.findElement(By.id("leaderboard-mode")).getText())
                    .contains("Leaderboard mode: " + mode);
            List<WebElement> links = browser.findElements(By.id("trace-link"));
            if (!links.isEmpty()) {
                org.assertj.core.api.Assertions.assertThat(links.get(0).getText()).isEqualTo("View this page's trace");
                return links.get(0).getAttribute("href");
            }
        }
        return null;
    }
}
