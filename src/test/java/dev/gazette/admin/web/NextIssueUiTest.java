package dev.gazette.admin.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import dev.gazette.digest.Cadence;
import dev.gazette.digest.DigestIssue;
import dev.gazette.digest.Newsletter;
import dev.gazette.digest.NewsletterInput;
import dev.gazette.digest.NewsletterService;
import dev.gazette.subscriber.Frequency;
import dev.gazette.testing.BrowserTest;
import dev.gazette.testing.Fixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The next issue in Chromium: an editor writes a note, pins one story for all readers and excludes another, then
 * previews the issue as a reader chosen by address.
 */
@QuarkusTest
class NextIssueUiTest extends BrowserTest {

    @Inject
    NewsletterService newsletters;

    private Newsletter newsletter;

    @BeforeEach
    void news() {
        fixtures.editorToken();
        fixtures.topic("World", "world");
        fixtures.topic("Sport", "sport");
        clock.set(Instant.parse("2026-03-02T08:00:00Z"));
        fixtures.published("Storm reaches the coast", "Body.", "world");
        clock.set(Instant.parse("2026-03-02T08:30:00Z"));
        fixtures.published("Cup final tonight", "Body.", "sport");
        clock.set(Instant.parse("2026-03-02T08:40:00Z"));
        fixtures.published("Storm figures were wrong", "Body.", "world");
        clock.set(Instant.parse("2026-03-02T09:00:00Z"));
        newsletter = newsletters.create(new NewsletterInput("World this morning", "world-morning", null, List.of("world", "sport"),
                Cadence.DAILY, null, "07:00", "Gazette World", "world@news.example.org", null, null, null, null, null, null, null));
        fixtures.reader("ana@example.org", "UTC", Frequency.DAILY, "world");
    }

    @Test
    void anEditorShapesTheNextIssueAndPreviewsItAsAReader() {
        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        open("/admin/newsletters/" + newsletter.id);
        browser.findElement(By.id("next-issue-link")).click();
        waitFor(By.id("note"));
        assertEquals("Next issue: No. 1, 2026-03-03", browser.findElement(By.tagName("h1")).getText());
        assertTrue(browser.findElement(By.tagName("main")).getText().contains("Readers due 1"),
                browser.findElement(By.tagName("main")).getText());

        browser.findElement(By.id("subject")).sendKeys("{top}, and the rest of the morning");
        browser.findElement(By.id("note")).sendKeys("A short week: the desk is off on Friday.");
        browser.findElement(By.cssSelector("input[aria-label='Pin Cup final tonight']")).click();
        browser.findElement(By.cssSelector("input[aria-label='Cup final tonight for all readers']")).click();
        browser.findElement(By.cssSelector("input[aria-label='Exclude Storm figures were wrong']")).click();
        submitAndWait(By.xpath("//button[text()='Save the issue']"));
        waitForText(By.cssSelector("[role=status]"), "Saved.");
        assertTrue(browser.findElement(By.cssSelector("input[aria-label='Pin Cup final tonight']")).isSelected());
        DigestIssue saved = QuarkusTransaction.requiringNew().call(() -> DigestIssue.findPlanned(newsletter.id).orElseThrow());
        assertEquals("A short week: the desk is off on Friday.", saved.noteMarkdown);

        browser.findElement(By.id("preview-reader")).sendKeys("ana@example.org");
        submitAndWait(By.xpath("//button[text()='Preview']"));
        assertEquals("Cup final tonight, and the rest of the morning", browser.findElement(By.id("digest-subject")).getText());
        String text = browser.findElement(By.id("digest-text")).getText();
        assertTrue(text.contains("A short week: the desk is off on Friday."), text);
        assertTrue(text.indexOf("Cup final tonight") < text.indexOf("Storm reaches the coast"), "pinned first: " + text);
        assertFalse(text.contains("Storm figures were wrong"), text);
    }
}
