package io.emojivoto.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.emojivoto.launcher.ExpectedTrace;
import io.emojivoto.testkit.Browser;
import io.emojivoto.testkit.Traces;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A person's path through the pipeline in headless Chromium: vote through the ingress, follow the
 * vote's "view trace" link, and see the trace in the Zipkin UI with spans of every service.
 */
@ExtendWith(RunningPipeline.class)
@org.junit.jupiter.api.Order(2)
class PipelineBrowserTest {

    @Test
    void a_vote_links_to_its_trace_in_the_zipkin_ui() throws Exception {
        // A freshly started pipeline's first requests are slow (cold JITs on two cores): wait until the
        // list answers through the ingress, so that the page's first fetch is not the one that warms it.
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(RunningPipeline.get().ingressUrl() + "/api/list")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        // The screenshots show what a plain `up` shows: without the delay this module's pipeline gives voting-svc.
        RunningPipeline.cli("fault", "set", "voting-svc", "delay", "0ms");
        ChromeDriver browser = Browser.start(1400, 1000);
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(40));
            String traceLink = null;
            for (int attempt = 0; attempt < 30 && traceLink == null; attempt++) { // half the votes are sampled
                browser.get(RunningPipeline.get().ingressUrl() + "/");
                wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#emoji-grid .emoji-votable"), 99));
                browser.findElement(By.cssSelector("[data-shortcode=':rocket:']")).click();
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("vote-result")));
                var links = browser.findElements(By.id("trace-link"));
                if (!links.isEmpty()) {
                    traceLink = links.get(0).getAttribute("href");
                }
            }
            assertThat(traceLink).as("a sampled vote within 30 tries").isNotNull()
                    .startsWith(RunningPipeline.get().traceUiUrl() + "traces/");
            Browser.screenshotToDocs(browser, "vote-with-trace-link");

            String traceId = traceLink.substring(traceLink.lastIndexOf('/') + 1);
            Traces.await(RunningPipeline.backend(), traceId,
                    spans -> ExpectedTrace.problems(spans, "/api/vote", 200).isEmpty(), Duration.ofSeconds(30));
            browser.get(traceLink);
            WebElement body = browser.findElement(By.tagName("body"));
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> {
                String text = body.getText().toLowerCase();
                return ExpectedTrace.SERVICES.stream().allMatch(text::contains);
            });
            assertThat(body.getText().toLowerCase()).contains("votingservice/voterocket");
            Browser.screenshotToDocs(browser, "zipkin-trace");
        } finally {
            browser.quit();
            RunningPipeline.cli("fault", "clear");
        }
    }
}
