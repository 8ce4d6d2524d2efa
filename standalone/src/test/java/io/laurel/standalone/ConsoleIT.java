package io.laurel.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console at {@code /console/} in headless Chromium, through the public API only: a wrong key's error, sign-in
 * returning to the address opened, an event type and a rule created through their forms (a bad one's problem shown
 * at its pointer), the "try an event" box validating a sample without sending it and then sending it, the user's
 * points and ledger, a rebuild watched to completion, and a recalculation's dry run read and applied. With
 * {@code -Dlaurel.console.screenshots=DIR} it saves the main screens there (docs/console/).
 */
class ConsoleIT extends PlatformTestSupport {
    private static final String CHROMIUM = System.getProperty("laurel.chromium", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = System.getProperty("laurel.chromedriver", "/usr/bin/chromedriver");
    private static final String SCREENSHOTS = System.getProperty("laurel.console.screenshots");

    private WebDriver browser;
    private WebDriverWait wait;
    private Path profile;

    @DynamicPropertySource
    static void env(DynamicPropertyRegistry registry) {
        register(registry, ConsoleIT.class);
    }

    @BeforeEach
    void startBrowser() throws Exception {
        assertThat(new File(CHROMIUM)).as("Chromium at %s (.ci/run installs it)", CHROMIUM).isFile();
        profile = Files.createTempDirectory("laurel-console");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,900", "--user-data-dir=" + profile);
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build(), options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class); // the screens re-render
    }

    @AfterEach
    void stopBrowser() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private WebElement find(String css) {
        return wait.until(b -> b.findElements(By.cssSelector(css)).stream().filter(WebElement::isDisplayed).findFirst()
                .orElse(null));
    }

    private void type(String css, String text) {
        WebElement e = find(css);
        e.clear();
        e.sendKeys(text);
    }

    /** Waits until an element of {@code css} shows every one of {@code parts} (the screens re-render as they update). */
    private void waitForText(String css, String... parts) {
        wait.until(b -> b.findElements(By.cssSelector(css)).stream().anyMatch(e -> {
            String text = e.getText();
            return java.util.Arrays.stream(parts).allMatch(text::contains);
        }));
    }

    private String heading() {
        return find("main h1").getText();
    }

    private void shot(String name) throws Exception {
        if (SCREENSHOTS != null) {
            Files.createDirectories(Path.of(SCREENSHOTS));
            Files.write(Path.of(SCREENSHOTS, name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        }
    }

    private void signIn(String key) {
        WebElement field = find("input[name=api_key]");
        assertThat(field.getAttribute("type")).isEqualTo("password");
        field.clear();
        field.sendKeys(key);
        find("form.signin button[type=submit]").click();
    }

    @Test
    void anOperatorManagesTheCatalogFollowsAUserAndRunsOperations() throws Exception {
        browser.get("http://localhost:" + port + "/console/#/rules");
        find("input[name=api_key]");
        // the first screen, as the browser measured it: from the request of the page to its sign-in form shown
        long coldMs = Long.parseLong(find("body").getAttribute("data-first-screen-ms"));
        // the same page again, the browser started: what a person opening the console sees
        browser.navigate().refresh();
        long firstScreenMs = Long.parseLong(wait.until(b -> b.findElement(By.tagName("body"))
                .getAttribute("data-first-screen-ms")));
        System.out.println("console: first screen after " + firstScreenMs + " ms (" + coldMs + " ms with the"
                + " browser's own start)");
        assertThat(firstScreenMs).as("the first screen (ms)").isLessThan(1000);
        assertThat(browser.getCurrentUrl()).doesNotContain("lrl_");

        // a wrong key: a readable error, still signed out
        signIn("lrl_not_a_key");
        waitForText(".problem", "Unknown key");
        shot("sign-in");
        // the right key: back to the address it was opened at
        signIn(ADMIN_KEY);
        wait.until(b -> heading().equals("Rules"));
        assertThat(browser.getCurrentUrl()).endsWith("/console/#/rules").doesNotContain(ADMIN_KEY);
        assertThat((String) ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("return document.cookie")).isEmpty();

        // an event type through its form; a bad schema's problem at its pointer
        browser.get("http://localhost:" + port + "/console/#/event-types");
        wait.until(b -> heading().equals("Event types"));
        type("form[aria-label='New event type'] input[name=name]", "purchase");
        type("form[aria-label='New event type'] textarea[name=event_data_schema]", "{\"type\": 12}");
        find("form[aria-label='New event type'] button[type=submit]").click();
        waitForText("form[aria-label='New event type'] .problem", "INVALID_SCHEMA");
        type("form[aria-label='New event type'] textarea[name=event_data_schema]",
                "{\"required\": [\"amount\"], \"properties\": {\"amount\": \"number\"}}");
        find("form[aria-label='New event type'] button[type=submit]").click();
        wait.until(b -> b.findElement(By.tagName("main")).getText().contains("purchase"));

        // a rule through its form
        browser.get("http://localhost:" + port + "/console/#/rules");
        wait.until(b -> heading().equals("Rules"));
        type("form[aria-label='New rule'] input[name=name]", "10 a purchase");
        type("form[aria-label='New rule'] input[name=points]", "10");
        type("form[aria-label='New rule'] input[name=condition]", "amount >=");
        find("form[aria-label='New rule'] button[type=submit]").click();
        waitForText("form[aria-label='New rule'] .problem", "/condition");
        type("form[aria-label='New rule'] input[name=condition]", "amount >= 1");
        find("form[aria-label='New rule'] button[type=submit]").click();
        wait.until(b -> b.findElement(By.tagName("main")).getText().contains("10 a purchase"));
        shot("rules");

        // try an event: validated without sending, then sent
        browser.get("http://localhost:" + port + "/console/#/event-types");
        wait.until(b -> heading().equals("Event types"));
        type("form[aria-label='Try an event'] textarea[name=event]",
                "{\"event_type\": \"purchase\", \"user_id\": \"ann\", \"event_data\": {\"amount\": \"twelve\"}}");
        find("form[aria-label='Try an event'] button[name=validate]").click();
        waitForText("form[aria-label='Try an event'] .problem", "/event_data/amount");
        type("form[aria-label='Try an event'] textarea[name=event]",
                "{\"event_type\": \"purchase\", \"user_id\": \"ann\", \"event_data\": {\"amount\": 12}}");
        find("form[aria-label='Try an event'] button[name=validate]").click();
        waitForText("form[aria-label='Try an event'] .ok", "Valid", "Nothing was sent");
        assertThat(getJson(ADMIN_KEY, "/v1/users/ann/points", 200).at("/balances/0/earned").asLong(0)).isZero();
        find("form[aria-label='Try an event'] button[name=send]").click();
        waitForText("form[aria-label='Try an event'] .ok", "Sent");
        shot("event-types");

        // the user's points and ledger, with the rule that gave them
        browser.get("http://localhost:" + port + "/console/#/users/ann");
        wait.until(b -> {
            b.navigate().refresh();
            return b.findElements(By.cssSelector("main table")).size() > 1
                    && b.findElement(By.tagName("main")).getText().contains("10");
        });
        String page = find("main").getText();
        assertThat(page).contains("User ann").contains("Ledger");
        String ruleId = getJson(ADMIN_KEY, "/v1/admin/rules", 200).get("rules").get(0).get("id").asText();
        assertThat(page).contains(ruleId + " v1");
        shot("user");

        // a rebuild, watched until it completes
        browser.get("http://localhost:" + port + "/console/#/ops");
        wait.until(b -> heading().equals("Operations"));
        WebElement row = wait.until(b -> b.findElements(By.xpath("//tr[td[1][text()='event_log']]")).stream().findFirst()
                .orElse(null));
        row.findElement(By.tagName("button")).click();
        wait.until(b -> heading().equals("Rebuild"));
        wait.until(b -> b.findElement(By.id("rebuild-status")).getText().equals("completed"));
        assertThat(find("#rebuild-progress").getAttribute("value")).isEqualTo("100");
        shot("rebuild");

        // a recalculation: the rule now gives 20; the dry run shows ann's +10, applying it posts it
        String body = "{\"name\":\"10 a purchase\",\"event_type\":\"purchase\",\"points\":20,\"condition\":\"amount >= 1\"}";
        putJson(ADMIN_KEY, "/v1/admin/rules/" + ruleId, body, 200);
        browser.get("http://localhost:" + port + "/console/#/ops");
        wait.until(b -> heading().equals("Operations"));
        type("form[aria-label='New recalculation'] input[name=event_types]", "purchase");
        find("form[aria-label='New recalculation'] button[type=submit]").click();
        wait.until(b -> heading().equals("Recalculation"));
        wait.until(b -> b.findElement(By.id("recalc-status")).getText().equals("ready"));
        wait.until(b -> b.findElement(By.tagName("main")).getText().contains("ann"));
        assertThat(find("main").getText()).contains("Changes").contains("10");
        shot("recalculation");
        find("#apply").click();
        wait.until(b -> {
            try {
                b.switchTo().alert().accept();
                return true;
            } catch (org.openqa.selenium.NoAlertPresentException e) {
                return false;
            }
        });
        wait.until(b -> b.findElement(By.id("recalc-status")).getText().equals("applied"));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                getJson(ADMIN_KEY, "/v1/users/ann/points", 200).get("balances").get(0).get("available").asLong() == 20);

        // the leaderboard screen
        JsonNode boards = getJson(ADMIN_KEY, "/v1/admin/leaderboards", 200).get("leaderboards");
        if (boards.size() > 0) {
            browser.get("http://localhost:" + port + "/console/#/leaderboards/" + boards.get(0).get("id").asText());
            wait.until(b -> heading().startsWith("Leaderboard"));
            shot("leaderboard");
        }
    }
}
