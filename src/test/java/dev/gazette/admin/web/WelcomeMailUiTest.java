package dev.gazette.admin.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import dev.gazette.lifecycle.mail.WelcomeMail;
import dev.gazette.subscriber.Frequency;
import dev.gazette.testing.BrowserTest;
import dev.gazette.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** The welcome mail in Chromium: written, previewed as a reader chosen by address, sent as a test, switched on. */
@QuarkusTest
class WelcomeMailUiTest extends BrowserTest {

    @Inject
    WelcomeMail welcome;

    @BeforeEach
    void reader() {
        fixtures.editorToken();
        fixtures.topic("World", "world");
        fixtures.reader("ana@example.org", "UTC", Frequency.DAILY, "world");
    }

    @Test
    void anEditorWritesPreviewsTestsAndSwitchesOnTheWelcome() throws Exception {
        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        open("/admin/newsletters");
        browser.findElement(By.id("welcome-link")).click();
        WebElement subject = waitFor(By.id("subject"));
        subject.clear();
        subject.sendKeys("Welcome aboard, from {site}");
        WebElement body = browser.findElement(By.id("body"));
        body.clear();
        body.sendKeys("You follow {topics}. Change that at any time: {preferencesUrl}");
        browser.findElement(By.id("reader")).sendKeys("ana@example.org");
        submitAndWait(By.xpath("//button[text()='Preview']"));
        assertEquals("Welcome aboard, from Gazette", browser.findElement(By.id("welcome-subject")).getText());
        assertTrue(browser.findElement(By.id("welcome-text")).getText().contains("You follow World."),
                browser.findElement(By.id("welcome-text")).getText());

        browser.findElement(By.id("testTo")).sendKeys("desk@example.org");
        submitAndWait(By.xpath("//button[text()='Send a test']"));
        waitForText(By.cssSelector("[role=status]"), "A test was sent to desk@example.org.");
        assertEquals("[Test] Welcome aboard, from Gazette", greenMail.getReceivedMessages()[0].getSubject());

        browser.findElement(By.cssSelector("input[name=enabled]")).click();
        submitAndWait(By.xpath("//button[text()='Save']"));
        waitForText(By.cssSelector("[role=status]"), "Saved.");
        WelcomeMail.Settings saved = welcome.settings();
        assertTrue(saved.enabled());
        assertEquals("Welcome aboard, from {site}", saved.subject());
    }
}
