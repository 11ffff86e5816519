package dev.gazette.admin.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import dev.gazette.digest.Cadence;
import dev.gazette.digest.DigestIssue;
import dev.gazette.digest.IssueKind;
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
 * A special edition in Chromium: chosen articles, a note and a topic, then the confirmation naming the edition, its
 * subject and its exact readers; sending it from there.
 */
@QuarkusTest
class SpecialEditionUiTest extends BrowserTest {

    @Inject
    NewsletterService newsletters;

    private Newsletter newsletter;

    @BeforeEach
    void news() {
        fixtures.editorToken();
        fixtures.topic("World", "world");
        fixtures.topic("Sport", "sport");
        clock.set(Instant.parse("2026-03-02T08:30:00Z"));
        fixtures.published("Cup final tonight", "Body.", "sport");
        fixtures.published("Markets rally", "Body.", "world");
        clock.set(Instant.parse("2026-03-02T09:00:00Z"));
        newsletter = newsletters.create(new NewsletterInput("World this morning", "world-morning", null, List.of("world", "sport"),
                Cadence.DAILY, null, "07:00", "Gazette World", "world@news.example.org", null, null, null, null, null, null, null));
        fixtures.reader("ana@example.org", "UTC", Frequency.DAILY, "world");
        fixtures.reader("ben@example.org", "UTC", Frequency.DAILY, "sport");
    }

    @Test
    void aSpecialEditionIsSentFromItsConfirmation() {
        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        open("/admin/newsletters/" + newsletter.id);
        browser.findElement(By.id("special-edition-link")).click();
        waitFor(By.id("subject")).sendKeys("Cup final special");
        browser.findElement(By.id("note")).sendKeys("Everything about tonight's final.");
        browser.findElement(By.xpath("//label[contains(., 'Cup final tonight')]/input")).click();
        browser.findElement(By.cssSelector("input[name=topic][value=sport]")).click();
        submitAndWait(By.xpath("//button[text()='Review before sending']"));
        assertEquals("Send World this morning, special edition No. 1: Cup final special to 1 reader now?",
                browser.findElement(By.tagName("h1")).getText());
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> DigestIssue.count("kind", IssueKind.SPECIAL)),
                "nothing is sent before the confirmation");

        submitAndWait(By.xpath("//button[text()='Send to 1 reader']"));
        waitForText(By.cssSelector("[role=status]"), "The special edition is on its way");
        assertTrue(browser.findElement(By.id("issue-special-1")).getText().startsWith("Special edition #1"),
                browser.findElement(By.id("issue-special-1")).getText());
    }
}
