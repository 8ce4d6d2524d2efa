package io.laurel.standalone;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard page served by the leaderboard service, in headless Chromium (Debian's chromium and
 * chromium-driver, which .ci/run installs): it renders the board and changes when points arrive.
 */
class LeaderboardDashboardIT extends PlatformTestSupport {
    private HeadlessChromium chromium;
    private WebDriver browser;

    @DynamicPropertySource
    static void env(DynamicPropertyRegistry registry) {
        register(registry, LeaderboardDashboardIT.class);
    }

    @BeforeEach
    void startBrowser() throws Exception {
        chromium = new HeadlessChromium();
        browser = chromium.browser();
    }

    @AfterEach
    void stopBrowser() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void theDashboardRendersTheBoardAndUpdatesWhenPointsArrive() {
        postJson(ADMIN_KEY, "/v1/admin/event-types", "{\"name\":\"talk\"}", 201);
        postJson(ADMIN_KEY, "/v1/admin/rules", "{\"name\":\"talk\",\"event_type\":\"talk\",\"points\":5}", 201);
        postJson(ADMIN_KEY, "/v1/events", "{\"event_type\":\"talk\",\"user_id\":\"ada\"}", 202);
        postJson(ADMIN_KEY, "/v1/events", "{\"event_type\":\"talk\",\"user_id\":\"ada\"}", 202);
        postJson(ADMIN_KEY, "/v1/events", "{\"event_type\":\"talk\",\"user_id\":\"bea\"}", 202);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> getJson(ADMIN_KEY, "/v1/leaderboards/all-time", 200).get("total").asLong() == 2);
        // ada has a display name, which the page shows as text (never as markup) in place of the id
        putJson(ADMIN_KEY, "/v1/users/ada/profile", "{\"display_name\":\"Ada <b>Lovelace</b> & Co\"}", 200);

        browser.get("http://localhost:" + port + "/dashboard/leaderboard.html#board=all-time&limit=5&user=bea&key="
                + ADMIN_KEY);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(b -> rows(b).size() == 2);
        wait.until(b -> rows(b).equals(List.of("1 Ada <b>Lovelace</b> & Co 10", "2 bea 5")));
        assertThat(browser.findElements(By.cssSelector("#rows b"))).isEmpty();
        assertThat(browser.findElement(By.cssSelector("tr[data-user=ada] td.user")).getAttribute("title")).isEqualTo("ada");
        assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("live");
        assertThat(browser.findElement(By.id("you")).getText()).isEqualTo("bea: rank 2 with 5");
        assertThat(browser.findElement(By.cssSelector("tr.watched")).getAttribute("data-user")).isEqualTo("bea");
        // the key left the address bar once read
        assertThat(browser.getCurrentUrl()).doesNotContain(ADMIN_KEY);

        // points arrive: bea overtakes ada and a third member appears, without reloading the page
        for (int i = 0; i < 3; i++) {
            postJson(ADMIN_KEY, "/v1/events", "{\"event_type\":\"talk\",\"user_id\":\"bea\"}", 202);
        }
        postJson(ADMIN_KEY, "/v1/events", "{\"event_type\":\"talk\",\"user_id\":\"cy\"}", 202);
        wait.until(b -> rows(b).equals(List.of("1 bea 20", "2 Ada <b>Lovelace</b> & Co 10", "3 cy 5")));
        assertThat(browser.findElement(By.id("you")).getText()).isEqualTo("bea: rank 1 with 20");
        assertThat(browser.findElement(By.id("total")).getText()).isEqualTo("3 members");
        assertThat(Integer.parseInt(browser.findElement(By.tagName("body")).getAttribute("data-updates")))
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void aWrongKeyIsShownAndTheSetupFormOffered() {
        browser.get("http://localhost:" + port + "/dashboard/leaderboard.html#board=all-time&key=lrl_wrong");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(b -> b.findElement(By.id("error")).isDisplayed());
        assertThat(browser.findElement(By.id("error")).getText()).isNotBlank();
        assertThat(browser.findElement(By.id("setup")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("board")).isDisplayed()).isFalse();
    }

    /** The rendered rows as "rank user score", read in one script call (the page re-renders on every update). */
    @SuppressWarnings("unchecked")
    private static List<String> rows(WebDriver browser) {
        return (List<String>) ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll('#rows tr[data-user]')]"
                        + ".map(tr => [...tr.cells].map(td => td.textContent).join(' '))");
    }
}
