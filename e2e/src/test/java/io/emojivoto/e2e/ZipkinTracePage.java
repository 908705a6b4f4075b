package io.emojivoto.e2e;

import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A trace's page in Zipkin's UI, as a learner reads it: the timeline, and one span selected so that its
 * details (annotations with their offsets, tags) are on screen, as a lab's text points at them.
 */
final class ZipkinTracePage {

    private ZipkinTracePage() {
    }

    /**
     * Opens the trace, waits until {@code mustShow} are all on the page, clicks the row whose label starts with
     * {@code span} ("voting-svc: emojivoto.v1.votingservice/votedoughnut"), and waits until its details name it
     * and show each of {@code detailShows}. With {@code tagsOnly}, the details are scrolled to the span's tags.
     */
    static void open(ChromeDriver browser, String traceUrl, String span, boolean tagsOnly, List<String> detailShows,
            String... mustShow) {
        browser.manage().window().setSize(new Dimension(1400, 1100));
        browser.get(traceUrl);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(d -> {
            String text = d.findElement(By.tagName("body")).getText().toLowerCase();
            return List.of(mustShow).stream().allMatch(m -> text.contains(m.toLowerCase()));
        });
        if (span == null) {
            return;
        }
        WebElement row = wait.until(d -> d.findElements(By.xpath("//div[starts-with(normalize-space(text()), '" + span + "')]"))
                .stream().findFirst().orElse(null));
        row.click();
        String service = span.substring(0, span.indexOf(':'));
        wait.until(d -> d.findElement(By.tagName("body")).getText().contains("Service name\n" + service + "\n"));
        if (tagsOnly) {
            WebElement tags = browser.findElement(By.xpath("//*[normalize-space(text())='Tags']"));
            browser.executeScript("arguments[0].scrollIntoView({block: 'start'});", tags);
        }
        wait.until(d -> {
            String details = detailsText(browser);
            return detailShows.stream().allMatch(details::contains);
        });
    }

    /** The rows Zipkin marks with its red error icon, by their labels ("voting-svc: emojivoto.v1.…"). */
    static List<String> rowsMarkedFailed(ChromeDriver browser) {
        return browser.findElements(By.xpath("//*[name()='svg' and contains(@class, 'MuiSvgIcon-colorError')]/following-sibling::div[1]"))
                .stream().map(WebElement::getText).toList();
    }

    /** What the details panel shows now (the right-hand side of the page, from "Service name" on). */
    static String detailsText(ChromeDriver browser) {
        String body = browser.findElement(By.tagName("body")).getText();
        int start = body.indexOf("Service name");
        return start < 0 ? "" : body.substring(start);
    }
}
