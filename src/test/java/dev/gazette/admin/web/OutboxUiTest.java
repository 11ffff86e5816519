package dev.gazette.admin.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import dev.gazette.subscriber.Subscriber;
import dev.gazette.subscriber.SubscriberStatus;
import dev.gazette.testing.BrowserTest;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.ZeroSetupProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The zero-setup outbox in Chromium: the confirmation mail's button, inside the sandboxed frame, opens the confirmation
 * page in a new tab, where the reader's subscription is confirmed.
 */
@QuarkusTest
@TestProfile(OutboxUiTest.Profile.class)
class OutboxUiTest extends BrowserTest {

    /** The outbox, with links in mail pointing at the server under test. */
    public static class Profile extends ZeroSetupProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("gazette.site.base-url", "http://localhost:8081");
            return config;
        }
    }

    @BeforeEach
    void emptyOutbox() throws IOException {
        if (Files.isDirectory(ZeroSetupProfile.OUTBOX)) {
            try (var files = Files.list(ZeroSetupProfile.OUTBOX)) {
                files.forEach(f -> f.toFile().delete());
            }
        }
        fixtures.editorToken();
    }

    @Test
    void theConfirmButtonOfAMailInTheOutboxConfirmsTheSubscriptionInANewTab() throws Exception {
        given().contentType(ContentType.URLENC).formParam("email", "newcomer@example.org").post("/subscribe").then().statusCode(200);
        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        open("/admin/outbox");
        browser.findElement(By.xpath("//tr[contains(., 'newcomer@example.org')]//a")).click();
        WebElement frame = waitFor(By.cssSelector("iframe.mail"));
        String editorTab = browser.getWindowHandle();
        browser.switchTo().frame(frame);
        browser.findElement(By.linkText("Confirm my subscription")).click();
        browser.switchTo().defaultContent();

        await(Duration.ofSeconds(10), d -> d.getWindowHandles().size() == 2);
        Set<String> tabs = browser.getWindowHandles();
        tabs.remove(editorTab);
        browser.switchTo().window(tabs.iterator().next());
        waitForText(By.tagName("h1"), "Confirm your subscription");
        submitAndWait(By.xpath("//button[text()='Confirm my subscription']"));
        waitForText(By.tagName("h1"), "You're subscribed");
        assertEquals(SubscriberStatus.ACTIVE, Subscriber.<Subscriber>find("email", "newcomer@example.org").firstResult().status);

        browser.close();
        browser.switchTo().window(editorTab);
        assertEquals("/admin/outbox/", new java.net.URL(browser.getCurrentUrl()).getPath().substring(0, 14), "the editor's tab stays");
    }
}
