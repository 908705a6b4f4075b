package io.emojivoto.testkit;

import io.emojivoto.localrun.Directories;
import io.emojivoto.localrun.ProjectPaths;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium through Debian's chromedriver. Both paths are explicit, so Selenium
 * Manager never runs and nothing is downloaded. Each browser gets a profile directory of its own,
 * deleted when it quits.
 */
public final class Browser {

    public static final String CHROMIUM = System.getProperty("chromium.binary", "/usr/bin/chromium");
    public static final String CHROMEDRIVER = System.getProperty("chromedriver.binary", "/usr/bin/chromedriver");

    private Browser() {
    }

    public static ChromeDriver start(int width, int height) {
        for (String binary : new String[] {CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(Path.of(binary))) {
                throw new IllegalStateException(binary + " is missing: apt-get install chromium chromium-driver");
            }
        }
        try {
            Path profile = Files.createTempDirectory("emojivoto-chromium");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM);
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--force-device-scale-factor=1",
                    "--window-size=" + width + "," + height, "--user-data-dir=" + profile);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(CHROMEDRIVER))
                    .usingAnyFreePort()
                    .build();
            return new ChromeDriver(service, options) {
                @Override
                public void quit() {
                    try {
                        super.quit();
                    } finally {
                        deleteProfile(profile); // a profile is tens of MB; every test run made one
                    }
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteProfile(Path profile) {
        try {
            Directories.deleteTree(profile);
        } catch (IOException | UncheckedIOException e) {
            // best effort: a file Chromium still held stays in the temp directory
        }
    }

    /** Saves a screenshot to {@code path}, relative to the repository's root (a page of docs/ shows it). */
    public static Path screenshotTo(ChromeDriver driver, Path path) {
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        try {
            Path target = ProjectPaths.root().resolve(path);
            Files.createDirectories(target.getParent());
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Saves a screenshot to {@code docs/<name>.png} in the repository, where the README shows it. */
    public static Path screenshotToDocs(ChromeDriver driver, String name) {
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        try {
            Path docs = Files.createDirectories(ProjectPaths.root().resolve("docs").resolve("screenshots"));
            Path target = docs.resolve(name + ".png");
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
