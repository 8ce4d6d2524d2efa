package io.laurel.standalone;

import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's Chromium, headless, through ChromeDriver (.ci/run installs both; other paths with
 * {@code -Dlaurel.chromium=... -Dlaurel.chromedriver=...}), with a profile of its own that closing removes.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final String CHROMIUM = System.getProperty("laurel.chromium", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = System.getProperty("laurel.chromedriver", "/usr/bin/chromedriver");

    private final Path profile;
    private final WebDriver browser;

    /** A browser; {@code extraArguments} such as {@code --window-size=1280,900}. */
    HeadlessChromium(String... extraArguments) throws java.io.IOException {
        assertThat(new File(CHROMIUM)).as("Chromium at %s (apt-get install chromium chromium-driver; .ci/run"
                + " installs them)", CHROMIUM).isFile();
        assertThat(new File(CHROMEDRIVER)).as("ChromeDriver at %s", CHROMEDRIVER).isFile();
        profile = Files.createTempDirectory("laurel-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile);
        options.addArguments(extraArguments);
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build(), options);
    }

    WebDriver browser() {
        return browser;
    }

    @Override
    public void close() throws java.io.IOException {
        browser.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
