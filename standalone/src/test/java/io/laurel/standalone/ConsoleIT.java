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
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

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
    private static final String SCREENSHOTS = System.getProperty("laurel.console.screenshots");

    private HeadlessChromium chromium;
    private WebDriver browser;
    private WebDriverWait wait;

    @DynamicPropertySource
    static void env(DynamicPropertyRegistry registry) {
        register(registry, ConsoleIT.class);
    }

    @BeforeEach
    void startBrowser() throws Exception {
        chromium = new HeadlessChromium("--window-size=1280,900");
        browser = chromium.browser();
        wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class); // the screens re-render
    }

    @AfterEach
    void stopBrowser() throws Exception {
        if (chromium != null) {
            chromium.close();
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
            js("window.scrollTo(0, 0)");
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

    /** The accessibility checks of console-a11y.js on the screen shown: labels, names, contrast, width. */
    private void accessible(String screen) throws Exception {
        assertThat(a11yProblems()).as("accessibility of " + screen + " at " + browser.manage().window().getSize())
                .isEmpty();
    }

    @SuppressWarnings("unchecked")
    private java.util.List<Object> a11yProblems() throws Exception {
        String script = new String(getClass().getResourceAsStream("/console-a11y.js").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        return (java.util.List<Object>) ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(script);
    }

    private Object js(String script, Object... args) {
        return ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(script, args);
    }

    private void open(String hash, String title) {
        browser.get("http://localhost:" + port + "/console/" + hash);
        try {
            wait.until(b -> heading().startsWith(title));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("the screen " + title + " at " + hash + " did not show; the page shows: "
                    + browser.findElement(By.tagName("main")).getText(), e);
        }
    }

    private void acceptConfirm() {
        wait.until(b -> {
            try {
                b.switchTo().alert().accept();
                return true;
            } catch (org.openqa.selenium.NoAlertPresentException e) {
                return false;
            }
        });
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
        accessible("sign-in");
        // the checks find what they look for: faint text, a field without a label, a page wider than the window
        js("const p = document.createElement('p'); p.id = 'probe-text'; p.textContent = 'faint'; p.style.color = '#c0c0c0';"
                + " const i = document.createElement('input'); i.id = 'probe-input';"
                + " const w = document.createElement('div'); w.id = 'probe-wide'; w.style.width = '4000px'; w.style.height = '1px';"
                + " document.body.append(p, i, w);");
        assertThat(a11yProblems()).map(String::valueOf)
                .anyMatch(m -> m.startsWith("contrast") && m.contains("faint"))
                .anyMatch(m -> m.startsWith("no label") && m.contains("probe-input"))
                .anyMatch(m -> m.startsWith("wider than the window"));
        js("['probe-text', 'probe-input', 'probe-wide'].forEach(id => document.getElementById(id).remove())");
        accessible("sign-in");

        // a wrong key: a readable error, still signed out
        signIn("lrl_not_a_key");
        waitForText(".problem", "Unknown key");
        shot("sign-in");
        // the right key: back to the address it was opened at
        signIn(ADMIN_KEY);
        wait.until(b -> heading().equals("Rules"));
        assertThat(browser.getCurrentUrl()).endsWith("/console/#/rules").doesNotContain(ADMIN_KEY);
        assertThat((String) js("return document.cookie")).isEmpty();

        // the keyboard alone: Tab from the top reaches the sections, the focus is visible, Enter opens one
        find("body").click();
        String focused = "";
        for (int i = 0; i < 20 && !focused.equals("Event types"); i++) {
            new org.openqa.selenium.interactions.Actions(browser).sendKeys(org.openqa.selenium.Keys.TAB).perform();
            focused = (String) js("return document.activeElement.textContent.trim()");
        }
        assertThat(focused).as("a Tab reaches the section links").isEqualTo("Event types");
        assertThat((String) js("return getComputedStyle(document.activeElement).outlineStyle")).isNotEqualTo("none");
        new org.openqa.selenium.interactions.Actions(browser).sendKeys(org.openqa.selenium.Keys.ENTER).perform();

        // an event type through its form; a bad schema's problem at its pointer
        wait.until(b -> heading().equals("Event types"));
        type("form[aria-label='New event type'] input[name=name]", "purchase");
        type("form[aria-label='New event type'] textarea[name=event_data_schema]", "{\"type\": 12}");
        find("form[aria-label='New event type'] button[type=submit]").click();
        waitForText("form[aria-label='New event type'] .problem", "INVALID_SCHEMA");
        type("form[aria-label='New event type'] textarea[name=event_data_schema]", "{\"required\": [\"amount\"");
        find("form[aria-label='New event type'] button[type=submit]").click();
        waitForText("form[aria-label='New event type'] .field-error", "/event_data_schema", "not JSON");
        type("form[aria-label='New event type'] textarea[name=event_data_schema]",
                "{\"required\": [\"amount\"], \"properties\": {\"amount\": \"number\"}}");
        find("form[aria-label='New event type'] button[type=submit]").click();
        wait.until(b -> b.findElement(By.tagName("main")).getText().contains("purchase"));
        // its schema edited in place: a new version, the change in the schema
        find("button[aria-label='Edit purchase']").click();
        assertThat(find("form[aria-label='Edit event type'] textarea[name=event_data_schema]").getAttribute("value"))
                .contains("amount");
        type("form[aria-label='Edit event type'] textarea[name=event_data_schema]",
                "{\"required\": [\"amount\"], \"properties\": {\"amount\": \"number\", \"shop\": \"string\"}}");
        find("form[aria-label='Edit event type'] button[name=save]").click();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                getJson(ADMIN_KEY, "/v1/admin/event-types/purchase", 200).get("version").asInt() == 2);
        assertThat(getJson(ADMIN_KEY, "/v1/admin/event-types/purchase", 200).at("/event_data_schema/properties/shop")
                .isMissingNode()).as("the schema's new property").isFalse();
        accessible("event types");

        // a rule through its form; an expression's error shown at its character
        open("#/rules", "Rules");
        type("form[aria-label='New rule'] input[name=name]", "10 a purchase");
        type("form[aria-label='New rule'] input[name=points]", "10");
        type("form[aria-label='New rule'] input[name=condition]", "amount >=");
        find("form[aria-label='New rule'] button[type=submit]").click();
        waitForText("form[aria-label='New rule'] .problem", "/condition");
        String caret = find("form[aria-label='New rule'] .field-error pre.caret").getText();
        assertThat(caret).startsWith("amount >=").contains("^");
        assertThat(find("form[aria-label='New rule'] input[name=condition]").getAttribute("aria-invalid"))
                .isEqualTo("true");
        type("form[aria-label='New rule'] input[name=condition]", "amount >= 1");
        find("form[aria-label='New rule'] button[type=submit]").click();
        wait.until(b -> b.findElement(By.tagName("main")).getText().contains("10 a purchase"));
        // a rule whose points are an expression shows the expression
        type("form[aria-label='New rule'] input[name=name]", "a point a euro");
        type("form[aria-label='New rule'] input[name=points]", "floor(amount)");
        type("form[aria-label='New rule'] input[name=condition]", "amount >= 1000000");
        find("form[aria-label='New rule'] button[type=submit]").click();
        WebElement expressionRow = wait.until(b -> b.findElements(By.xpath("//tr[td[1][text()='a point a euro']]"))
                .stream().findFirst().orElse(null));
        assertThat(expressionRow.getText()).contains("floor(amount)");
        accessible("rules");
        shot("rules");

        // try an event: validated without sending, then sent
        open("#/event-types", "Event types");
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
        // the page reads the points once, after it loaded: reloaded until they are there, each time given 10 s to
        // fetch and draw them (checked at once after the reload, a busy machine never drew them in time)
        wait.until(b -> {
            b.navigate().refresh();
            try {
                return new WebDriverWait(b, Duration.ofSeconds(10))
                        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                        .until(d -> d.findElements(By.cssSelector("main table")).size() > 1
                                && d.findElement(By.tagName("main")).getText().contains("10"));
            } catch (org.openqa.selenium.TimeoutException notYet) {
                return false;
            }
        });
        String page = find("main").getText();
        assertThat(page).contains("User ann").contains("Ledger");
        String ruleId = java.util.stream.StreamSupport.stream(getJson(ADMIN_KEY, "/v1/admin/rules", 200).get("rules")
                .spliterator(), false).filter(r -> r.get("name").asText().equals("10 a purchase")).findFirst()
                .orElseThrow().get("id").asText();
        assertThat(page).contains(ruleId + " v1");
        accessible("a user");
        shot("user");

        // badges and levels through their forms: a count badge, then edited; a level set with thresholds that fall
        open("#/definitions/badges", "Badges");
        type("form[aria-label='New definition'] input[name=id]", "shopper");
        type("form[aria-label='New definition'] input[name=name]", "Shopper");
        new org.openqa.selenium.support.ui.Select(find("form[aria-label='New definition'] select[name=event_type]"))
                .selectByValue("purchase");
        type("form[aria-label='New definition'] input[name=threshold]", "1");
        find("form[aria-label='New definition'] details.other summary").click();
        type("form[aria-label='New definition'] textarea[name=other]", "{\"expires_after\": \"P30D\"}");
        find("form[aria-label='New definition'] button[name=save]").click();
        wait.until(b -> b.findElement(By.tagName("main")).getText().contains("Shopper"));
        find("button[aria-label='Edit shopper']").click();
        assertThat(find("form[aria-label='Edit definition'] textarea[name=other]").getAttribute("value"))
                .contains("expires_after");
        type("form[aria-label='Edit definition'] input[name=name]", "Keen shopper");
        find("form[aria-label='Edit definition'] button[name=save]").click();
        wait.until(b -> b.findElement(By.tagName("main")).getText().contains("Keen shopper"));
        JsonNode badge = getJson(ADMIN_KEY, "/v1/admin/badges/shopper", 200);
        assertThat(badge.get("version").asInt()).isEqualTo(2);
        assertThat(badge.get("expires_after").asText()).as("a field the form does not show, kept").isEqualTo("P30D");
        assertThat(badge.get("threshold").asInt()).isEqualTo(1);
        accessible("badges");
        open("#/definitions/levels", "Levels");
        type("form[aria-label='New definition'] input[name=id]", "tiers");
        type("form[aria-label='New definition'] textarea[name=levels]",
                "[{\"number\": 1, \"name\": \"Bronze\", \"threshold\": 100}, {\"number\": 2, \"name\": \"Silver\", \"threshold\": 50}]");
        find("form[aria-label='New definition'] button[name=save]").click();
        waitForText("form[aria-label='New definition'] .field-error[data-for=levels]", "/levels/1");

        // the leaderboard, live: a new event moves ann's score on the open page without a reload
        open("#/leaderboards/all-time", "Leaderboard all-time");
        waitForText("#board-live", "Live");
        waitForText("main table", "ann", "10");
        postJson(ADMIN_KEY, "/v1/events", "{\"event_type\":\"purchase\",\"user_id\":\"ann\",\"event_data\":{\"amount\":3}}", 202);
        waitForText("main table", "ann", "20");
        accessible("a leaderboard");
        shot("leaderboard");

        // a rebuild, watched until it completes
        open("#/ops", "Operations");
        WebElement row = wait.until(b -> b.findElements(By.xpath("//tr[td[1][text()='event_log']]")).stream().findFirst()
                .orElse(null));
        row.findElement(By.tagName("button")).click();
        wait.until(b -> heading().equals("Rebuild"));
        wait.until(b -> b.findElement(By.id("rebuild-status")).getText().equals("completed"));
        assertThat(find("#rebuild-progress").getAttribute("value")).isEqualTo("100");
        accessible("a rebuild");
        shot("rebuild");

        // the rule edited in the console to give 20; its preview over the last 1 event is a dry run: ann's newest
        // purchase gains 10; applying it posts that
        open("#/rules", "Rules");
        find("button[aria-label='Edit 10 a purchase']").click();
        type("form[aria-label='Edit rule'] input[name=points]", "20");
        find("form[aria-label='Edit rule'] button[name=save]").click();
        waitForText("form[aria-label='Preview a rule'] .ok", "version 2");
        type("form[aria-label='Preview a rule'] input[name=last]", "1");
        find("form[aria-label='Preview a rule'] button[type=submit]").click();
        wait.until(b -> heading().equals("Recalculation"));
        wait.until(b -> b.findElement(By.id("recalc-status")).getText().equals("ready"));
        wait.until(b -> b.findElement(By.tagName("main")).getText().contains("ann"));
        assertThat(find("main").getText()).contains("1 events scanned").contains("Changes");
        accessible("a recalculation");
        shot("recalculation");
        // a ready recalculation is not drawn again while nothing changes: its Apply button (and a keyboard user's
        // focus on it) stays put across the screen's polls, once a second
        WebElement apply = find("#apply");
        org.awaitility.Awaitility.await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5)).until(() -> {
            try {
                return apply.isDisplayed();
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                return false;
            }
        });
        apply.click();
        acceptConfirm();
        wait.until(b -> b.findElement(By.id("recalc-status")).getText().equals("applied"));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                getJson(ADMIN_KEY, "/v1/users/ann/points", 200).get("balances").get(0).get("available").asLong() == 30);

        // a recalculation started from the operations screen over every purchase: only the first one changes now
        open("#/ops", "Operations");
        type("form[aria-label='New recalculation'] input[name=event_types]", "purchase");
        find("form[aria-label='New recalculation'] button[type=submit]").click();
        wait.until(b -> heading().equals("Recalculation"));
        wait.until(b -> b.findElement(By.id("recalc-status")).getText().equals("ready"));
        assertThat(find("main").getText()).contains("2 events scanned").contains("1 users");
        accessible("operations");

        // on a phone: the sections and screens fit the width, nothing scrolls sideways
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        for (String[] screen : new String[][] {{"#/event-types", "Event types"}, {"#/rules", "Rules"},
                {"#/users/ann", "User ann"}, {"#/leaderboards/all-time", "Leaderboard"}, {"#/ops", "Operations"}}) {
            open(screen[0], screen[1]);
            accessible(screen[1] + " on a phone");
            if (screen[1].equals("Rules")) {
                shot("phone-rules");
            }
        }
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));

        // a tenant's admin: only the tenant's catalog; a key made for a colleague, shown once, then revoked;
        // operations offer the tenant's recalculations and say that projections need the platform key
        String acmeKey = tenantWithKey("acme", java.util.List.of("catalog:read", "catalog:write", "events:write",
                "events:read", "points:read", "points:write", "leaderboards:read", "badges:read", "badges:write", "ops"));
        find("#signout").click();
        signIn(acmeKey);
        waitForText("#who", "acme");
        open("#/event-types", "Event types");
        assertThat(find("main").getText()).doesNotContain("purchase");
        open("#/api-keys", "API keys");
        type("form[aria-label='New API key'] input[name=name]", "dashboard");
        find("form[aria-label='New API key'] input[name=scope][value='leaderboards:read']").click();
        find("form[aria-label='New API key'] button[type=submit]").click();
        String shown = find("form[aria-label='New API key'] .key-once").getText();
        assertThat(shown).startsWith("lrl_");
        assertThat(getJson(shown, "/v1/leaderboards/all-time", 200).get("total").asInt()).isZero();
        accessible("API keys");
        assertThat(find("main table").getText()).contains("dashboard").doesNotContain(shown);
        browser.navigate().refresh();
        wait.until(b -> heading().equals("API keys"));
        assertThat(find("main").getText()).as("shown once").contains("dashboard").doesNotContain(shown);
        WebElement keyRow = wait.until(b -> b.findElements(By.xpath("//tr[td[1][text()='dashboard']]")).stream()
                .findFirst().orElse(null));
        keyRow.findElement(By.cssSelector("button.danger")).click();
        acceptConfirm();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                get(shown, "/v1/leaderboards/all-time").expectStatus().isUnauthorized());
        open("#/ops", "Operations");
        waitForText("main", "Projections and rebuilds need the platform key");
        find("form[aria-label='New recalculation']");
        accessible("operations for a tenant");
    }
}
