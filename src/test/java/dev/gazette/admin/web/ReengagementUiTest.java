package dev.gazette.admin.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import dev.gazette.lifecycle.reengage.ReengagementMail;
import dev.gazette.testing.BrowserTest;
import dev.gazette.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Re-engagement in Chromium: reached from the newsletters list, the editor sees how many readers the policy would
 * mail, changes the days and sees the count change, previews, sends a test and switches it on.
 */
@QuarkusTest
class ReengagementUiTest extends BrowserTest {

    @Inject
    ReengagementMail reengagement;

    @BeforeEach
    void readers() {
        fixtures.editorToken();
        fixtures.activeSubscriber("old@example.org");
        clock.advance(Duration.ofDays(100));
        fixtures.activeSubscriber("newer@example.org");
        clock.advance(Duration.ofDays(90));
    }

    private void days(String inactive) {
        WebElement days = browser.findElement(By.id("inactiveDays"));
        days.clear();
        days.sendKeys(inactive);
    }

    @Test
    void anEditorSeesWhomItWouldTouchPreviewsTestsAndSwitchesItOn() throws Exception {
        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        open("/admin/newsletters");
        browser.findElement(By.id("reengagement-link")).click();
        waitForText(By.id("would-touch"), "1 reader would get the message if you switched this on now.");

        days("60");
        submitAndWait(By.xpath("//button[text()='Preview']"));
        waitForText(By.id("would-touch"), "2 readers would get the message if you switched this on now.");
        assertEquals("Still want Gazette?", browser.findElement(By.id("reengage-subject")).getText());
        assertTrue(browser.findElement(By.id("reengage-text")).getText().contains("http://localhost:8080/keep/"),
                browser.findElement(By.id("reengage-text")).getText());

        days("90");
        browser.findElement(By.id("testTo")).sendKeys("desk@example.org");
        submitAndWait(By.xpath("//button[text()='Send a test']"));
        waitForText(By.cssSelector("[role=status]"), "A test was sent to desk@example.org.");
        assertEquals("[Test] Still want Gazette?", greenMail.getReceivedMessages()[0].getSubject());

        browser.findElement(By.cssSelector("input[name=enabled]")).click();
        submitAndWait(By.xpath("//button[text()='Save']"));
        waitForText(By.cssSelector("[role=status]"), "Saved.");
        ReengagementMail.Policy saved = reengagement.policy();
        assertTrue(saved.enabled());
        assertEquals(90, saved.inactiveDays());
        assertEquals(14, saved.graceDays());
    }
}
