package io.emojivoto.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.emojivoto.localrun.StoredSpan;
import io.emojivoto.testkit.Browser;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The workshop's labs with `--backend jaeger`: what each page says a learner sees, asserted through
 * Jaeger's API (on the pipeline JaegerPipelineTest also uses, started once), and the lab only Jaeger's
 * UI has, comparing two traces, done in that UI.
 */
@ExtendWith(RunningJaegerPipeline.class)
@Order(111)
class WorkshopLabsInJaegerTest extends WorkshopLabs {

    @Override
    SharedPipeline lab() {
        return RunningJaegerPipeline.shared();
    }

    /** docs/workshop/lab-10-compare-two-traces.md */
    @Test
    @Order(10)
    void lab_10_trace_compare_shows_what_changed_in_a_traces_shape_and_trace_statistics_counts_the_n_plus_1() throws Exception {
        if (System.getenv("JAEGER_UI_ASSETS") == null) {
            return; // Jaeger's placeholder page has no Compare; JaegerPipelineTest fails under CI=true without the UI
        }
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(40));

        // "A slow vote against a normal one: … every node grey … Duration differs, Spans: 11 on both sides."
        lab().cli("fault", "set", "voting-svc", "delay", "250ms");
        HttpResponse<String> slow = lab().sampled("/api/vote?choice=:joy:");
        lab().completeTrace(slow, "/api/vote");
        lab().cli("fault", "set", "voting-svc", "delay", "0ms");
        HttpResponse<String> normal = lab().sampled("/api/vote?choice=:joy:");
        lab().completeTrace(normal, "/api/vote");
        compare(SharedPipeline.traceId(slow), SharedPipeline.traceId(normal));
        wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector(".DiffNode.is-same"), 3));
        assertThat(browser.findElements(By.cssSelector(".DiffNode.is-changed"))).as("the same shape").isEmpty();
        String headers = browser.findElement(By.tagName("body")).getText();
        assertThat(Pattern.compile("Spans:\\s*11").matcher(headers).results().count()).isEqualTo(2);
        List<Double> durations = Pattern.compile("Duration:\\s*([0-9.]+)ms").matcher(headers).results()
                .map(m -> Double.parseDouble(m.group(1))).toList();
        assertThat(durations).hasSize(2);
        assertThat(durations.get(0)).as("A, the slow vote").isGreaterThanOrEqualTo(250);
        assertThat(durations.get(1)).as("B, the normal one").isLessThan(250);

        // "The leaderboard per emoji (A) against batched (B): red nodes only A has, green ones only B has."
        HttpResponse<String> perEmoji = lab().sampled("/api/leaderboard");
        List<StoredSpan> wide = lab().completeTrace(perEmoji, "/api/leaderboard");
        lab().cli("fault", "set", "web-svc", "leaderboard", "batched");
        HttpResponse<String> batched = lab().sampled("/api/leaderboard");
        lab().completeTrace(batched, "/api/leaderboard");
        compare(SharedPipeline.traceId(perEmoji), SharedPipeline.traceId(batched));
        // The nodes are in the page before the graph's layout places them: wait until both kinds are on screen.
        wait.until(d -> d.findElements(By.cssSelector(".DiffNode.is-changed.is-removed")).stream().anyMatch(WorkshopLabsInJaegerTest::onScreen)
                && d.findElements(By.cssSelector(".DiffNode.is-changed.is-added")).stream().anyMatch(WorkshopLabsInJaegerTest::onScreen));
        Browser.screenshotTo(browser, Path.of("docs", "workshop", "screenshots", "lab-10-compare-leaderboards.png"));

        // "Trace Statistics … emoji-svc's row counts one span per leaderboard entry: the N+1."
        long emojiSpans = wide.stream().filter(s -> s.serviceName().equals("emoji-svc")).count();
        long finds = wide.stream().filter(s -> s.serviceName().equals("web-svc") && "CLIENT".equals(s.kind())
                && s.name().endsWith("FindByShortcode")).count();
        assertThat(emojiSpans).isEqualTo(finds).isGreaterThan(4);
        browser.get(lab().pipeline().traceUiUrl() + "trace/" + SharedPipeline.traceId(perEmoji));
        wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//*[contains(@class,'ant-dropdown-trigger')][contains(.,'Trace Timeline')]")))
                .click();
        wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//li[contains(@class,'ant-dropdown-menu-item')][contains(.,'Trace Statistics')]")))
                .click();
        By emojiRow = By.xpath("//tr[td[1][normalize-space(.)='emoji-svc']]");
        WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(emojiRow));
        new org.openqa.selenium.interactions.Actions(browser).sendKeys(org.openqa.selenium.Keys.ESCAPE).perform(); // close the view menu
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".ant-dropdown-menu")));
        assertThat(row.findElements(By.tagName("td")).get(1).getText().trim()).as("emoji-svc's count").isEqualTo(Long.toString(emojiSpans));
        Browser.screenshotTo(browser, Path.of("docs", "workshop", "screenshots", "lab-10-trace-statistics.png"));
    }

    /** Whether an element is drawn inside the window (not merely in the page). */
    private static boolean onScreen(WebElement element) {
        org.openqa.selenium.Rectangle box = element.getRect();
        org.openqa.selenium.Dimension window = browser.manage().window().getSize();
        return element.isDisplayed() && box.getWidth() > 0 && box.getX() >= 0 && box.getY() >= 0
                && box.getX() + box.getWidth() <= window.getWidth() && box.getY() + box.getHeight() <= window.getHeight();
    }

    /** Jaeger's Trace Compare of two traces, A against B, as its Compare page opens them. */
    private void compare(String a, String b) {
        browser.get(lab().pipeline().traceUiUrl() + "trace/" + a + "..." + b + "?cohort=" + a + "&cohort=" + b);
    }
}
