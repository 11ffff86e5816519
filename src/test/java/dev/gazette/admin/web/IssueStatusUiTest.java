package dev.gazette.admin.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

import dev.gazette.digest.Cadence;
import dev.gazette.digest.DigestPlanner;
import dev.gazette.digest.DigestSender;
import dev.gazette.digest.Newsletter;
import dev.gazette.digest.NewsletterInput;
import dev.gazette.digest.NewsletterService;
import dev.gazette.subscriber.Frequency;
import dev.gazette.subscriber.SuppressionReason;
import dev.gazette.subscriber.SuppressionService;
import dev.gazette.testing.BrowserTest;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.RejectingSmtpProfile;
import dev.gazette.testing.RejectingSmtpResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * An issue's row on its newsletter's page follows the issue to its end in Chromium, without a reload: the status, the
 * sent / skipped / failed / bounced split, the buttons that still apply, and a link to the failed deliveries with the
 * mail server's answer. The mail server refuses {@code hard...} mailboxes for good.
 */
@QuarkusTest
@TestProfile(RejectingSmtpProfile.class)
class IssueStatusUiTest extends BrowserTest {

    @Inject
    NewsletterService newsletters;

    @Inject
    DigestSender sender;

    @Inject
    DigestPlanner planner;

    @Inject
    SuppressionService suppressions;

    @BeforeEach
    void data() {
        RejectingSmtpResource.reset();
        fixtures.editorToken();
        fixtures.topic("World", "world");
        fixtures.published("Storm reaches the coast", "Winds of **120 km/h** are expected tonight.", "world");
    }

    @Test
    void theIssueRowGoesLiveToItsFinalStatusWithTheSplitAndTheFailures() throws Exception {
        Newsletter n = newsletters.create(new NewsletterInput("World this morning", "world-morning", null, List.of("world"),
                Cadence.DAILY, null, "07:00", "Gazette World", "world@news.example.org", null, null, null, null, null, null, null));
        fixtures.reader("ana@example.org", "Europe/Paris", Frequency.DAILY, "world");
        fixtures.reader("hard@example.org", "UTC", Frequency.DAILY, "world");
        fixtures.reader("gone@example.org", "UTC", Frequency.DAILY, "world");

        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        open("/admin/newsletters/" + n.id);
        waitFor(By.id("subject")).sendKeys("Storm special");
        browser.findElement(By.xpath("//button[text()='Send now…']")).click();
        waitForText(By.id("send-question"), "Send Storm special to 3 readers now?");
        browser.findElement(By.xpath("//button[text()='Send to 3 readers']")).click();
        waitForText(By.cssSelector("[role=status]"), "Issue #1 is being sent to 3 readers.");
        assertEquals("SENDING", browser.findElement(By.cssSelector("#issue-1 .status")).getText());
        assertEquals(2, browser.findElements(By.cssSelector("#issue-1 button")).size(), "pause and cancel while it sends");
        // a mark on this page: it is still there at the end only if the page was never reloaded
        ((JavascriptExecutor) browser).executeScript("window.gazetteStillHere = true;");
        // blocked after the issue was created: the sender skips the reader
        suppressions.suppress("gone@example.org", SuppressionReason.BLOCKED, "blocked by the editor");

        sender.sendDue();
        planner.planDue();

        await(Duration.ofSeconds(10), d -> "DONE_WITH_FAILURES".equals(d.findElement(By.cssSelector("#issue-1 .status")).getText()));
        WebElement row = browser.findElement(By.id("issue-1"));
        assertEquals("1 sent · 1 skipped · 1 failed · 0 bounced", row.findElement(By.cssSelector(".outcome")).getText());
        assertEquals("3 of 3 handled", row.findElement(By.cssSelector("td.progress .muted")).getText());
        assertTrue(row.findElements(By.tagName("button")).isEmpty(), "no pause or cancel on an ended issue");
        assertEquals(null, row.getAttribute("hx-trigger"), "an ended issue's row stops polling");
        assertEquals(Boolean.TRUE, ((JavascriptExecutor) browser).executeScript("return window.gazetteStillHere === true;"),
                "the row changed without a reload");

        row.findElement(By.linkText("Failed deliveries of issue 1")).click();
        waitForText(By.tagName("h1"), "Failed deliveries of issue #1 of World this morning");
        List<WebElement> failures = browser.findElements(By.cssSelector("main tbody tr"));
        assertEquals(1, failures.size());
        String failure = failures.get(0).getText();
        assertTrue(failure.startsWith("hard@example.org FAILED 1 550 5.1.1"), failure);
        assertTrue(failure.contains("User unknown"), failure);
    }
}
