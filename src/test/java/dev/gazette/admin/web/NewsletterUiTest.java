package dev.gazette.admin.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import dev.gazette.digest.Cadence;
import dev.gazette.digest.DigestIssue;
import dev.gazette.digest.DigestSender;
import dev.gazette.digest.IssueStatus;
import dev.gazette.digest.Newsletter;
import dev.gazette.digest.NewsletterInput;
import dev.gazette.digest.NewsletterService;
import dev.gazette.subscriber.Frequency;
import dev.gazette.testing.BrowserTest;
import dev.gazette.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The newsletters section in Chromium: creating a newsletter through the form with its next runs in several time
 * zones, previewing and test-sending its digest, and sending an issue now, after confirming its readers, while following its
 * progress live.
 * The test clock stands at Monday 2 March 2026, 09:00 UTC; New York changes to summer time on Sunday 8 March.
 */
@QuarkusTest
class NewsletterUiTest extends BrowserTest {

    @Inject
    NewsletterService newsletters;

    @Inject
    DigestSender sender;

    @BeforeEach
    void data() {
        fixtures.editorToken();
        fixtures.topic("World", "world");
        fixtures.topic("Climate", "climate");
        fixtures.published("Storm reaches the coast", "Winds of **120 km/h** are expected tonight.", "world");
    }

    private List<String> rows(String css) {
        return browser.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
    }

    /** The text/plain part of a message. */
    private static String text(jakarta.mail.Part part) throws Exception {
        if (part.isMimeType("text/plain")) {
            return part.getContent().toString();
        }
        if (part.getContent() instanceof jakarta.mail.Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                String found = text(multipart.getBodyPart(i));
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    @Test
    void anEditorCreatesANewsletterSeesItsNextRunsPreviewsItAndSendsATest() throws Exception {
        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        browser.findElement(By.linkText("Newsletters")).click();
        waitForText(By.cssSelector("p.empty"), "No newsletter yet.");
        assertEquals("page", browser.findElement(By.linkText("Newsletters")).getAttribute("aria-current"));

        browser.findElement(By.linkText("New newsletter")).click();
        waitFor(By.id("name")).sendKeys("World this morning");
        browser.findElement(By.id("description")).sendKeys("The world, briefly.");
        browser.findElement(By.cssSelector("input[name=topic][value=world]")).click();
        // the next runs follow the schedule while it is chosen
        assertEquals("America/New_York Mon 2 Mar 2026, 07:00 EST Mon 2 Mar 2026, 12:00 UTC",
                rows("#next-runs tbody tr").get(0), "a daily newsletter at 07:00 by default");
        new Select(browser.findElement(By.id("cadence"))).selectByValue("WEEKLY");
        new Select(browser.findElement(By.id("weeklyDay"))).selectByValue("WEDNESDAY");
        waitForText(By.id("next-runs"), "Wed 11 Mar 2026, 07:00 EDT");
        browser.findElement(By.id("fromName")).sendKeys("Gazette World");
        browser.findElement(By.id("fromAddress")).sendKeys("world@news.example.org");
        browser.findElement(By.xpath("//button[text()='Create newsletter']")).click();

        waitForText(By.cssSelector("[role=status]"), "Newsletter created.");
        assertEquals("World this morning", browser.findElement(By.tagName("h1")).getText());
        assertEquals("Weekly, on Wednesdays at 07:00 local time.", browser.findElement(By.cssSelector("#next-runs p")).getText());
        assertEquals(List.of(
                "America/New_York Wed 4 Mar 2026, 07:00 EST Wed 4 Mar 2026, 12:00 UTC",
                "America/New_York Wed 11 Mar 2026, 07:00 EDT Wed 11 Mar 2026, 11:00 UTC",
                "Europe/Paris Wed 4 Mar 2026, 07:00 CET Wed 4 Mar 2026, 06:00 UTC",
                "Europe/Paris Wed 11 Mar 2026, 07:00 CET Wed 11 Mar 2026, 06:00 UTC",
                "Asia/Tokyo Wed 4 Mar 2026, 07:00 JST Tue 3 Mar 2026, 22:00 UTC",
                "Asia/Tokyo Wed 11 Mar 2026, 07:00 JST Tue 10 Mar 2026, 22:00 UTC",
                "UTC Wed 4 Mar 2026, 07:00 UTC Wed 4 Mar 2026, 07:00 UTC",
                "UTC Wed 11 Mar 2026, 07:00 UTC Wed 11 Mar 2026, 07:00 UTC"), rows("#next-runs tbody tr"));
        assertEquals("\"Gazette World\" <world@news.example.org>",
                browser.findElement(By.xpath("//table[@class='facts']//th[text()='From']/following-sibling::td")).getText());
        assertEquals("World", browser.findElement(By.xpath("//table[@class='facts']//th[text()='Topics']/following-sibling::td")).getText());
        waitForText(By.cssSelector("p.empty"), "No issue yet.");

        // preview: a generic digest of the latest articles
        browser.findElement(By.xpath("//button[text()='Preview']")).click();
        waitForText(By.tagName("h1"), "Preview of World this morning");
        assertEquals("World this morning: Storm reaches the coast", browser.findElement(By.id("digest-subject")).getText(),
                "a digest of one article has its title in the subject");
        assertTrue(browser.findElement(By.id("digest-text")).getText().contains("Storm reaches the coast"),
                browser.findElement(By.id("digest-text")).getText());
        WebElement frame = browser.findElement(By.cssSelector("iframe.mail"));
        assertEquals("", frame.getAttribute("sandbox").replace("allow-popups-to-escape-sandbox", "").replace("allow-popups", "").trim());
        browser.switchTo().frame(frame);
        assertTrue(browser.findElement(By.tagName("body")).getText().contains("Storm reaches the coast"));
        browser.switchTo().defaultContent();
        browser.findElement(By.linkText("Back to the newsletter")).click();

        // a test send, read back from the SMTP server
        waitFor(By.id("test-to")).sendKeys("editor@example.org");
        browser.findElement(By.xpath("//button[text()='Send test']")).click();
        waitForText(By.cssSelector("[role=status]"), "A test of the digest was sent to editor@example.org.");
        assertTrue(greenMail.waitForIncomingEmail(5000, 1));
        MimeMessage[] received = greenMail.getReceivedMessages();
        assertEquals(1, received.length);
        assertEquals("[Test] World this morning: Storm reaches the coast", received[0].getSubject());
        assertEquals("editor@example.org", ((InternetAddress) received[0].getAllRecipients()[0]).getAddress());
        assertEquals("world@news.example.org", ((InternetAddress) received[0].getFrom()[0]).getAddress());
        assertTrue(text(received[0]).contains("Storm reaches the coast"), text(received[0]));
        assertEquals(0, DigestIssue.count(), "a test is not an issue");

        browser.findElement(By.linkText("All newsletters")).click();
        assertEquals(List.of("World this morning world-this-morning WEEKLY on WEDNESDAY 07:00 Yes 0"), rows("tbody tr"));
    }

    @Test
    void sendingNowShowsTheIssueItsLiveProgressAndPauseAndResume() throws Exception {
        Newsletter n = newsletters.create(new NewsletterInput("World this morning", "world-morning", null, List.of("world"),
                Cadence.DAILY, null, "07:00", "Gazette World", "world@news.example.org", null, null, null, null, null, null, null));
        fixtures.reader("ana@example.org", "Europe/Paris", Frequency.DAILY, "world");
        fixtures.reader("bo@example.org", "America/New_York", Frequency.WEEKLY);
        fixtures.reader("cy@example.org", "UTC", Frequency.DAILY, "climate");

        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        open("/admin/newsletters/" + n.id);
        // preview and test come first; sending is the last, secondary button and asks first
        List<String> buttons = rows("main form button[type=submit]");
        assertEquals(List.of("Preview", "Send test", "Send now…"), buttons);
        assertEquals("secondary", browser.findElement(By.xpath("//button[text()='Send now…']")).getAttribute("class"));
        waitFor(By.id("subject")).sendKeys("Storm special");
        browser.findElement(By.xpath("//button[text()='Send now…']")).click();
        waitForText(By.tagName("h1"), "Send issue #1 of World this morning?");
        assertEquals("Send Storm special to 2 readers now?", browser.findElement(By.id("send-question")).getText());
        assertEquals(0, DigestIssue.count(), "nothing is sent before the answer");
        browser.findElement(By.xpath("//button[text()='Send to 2 readers']")).click();
        waitForText(By.cssSelector("[role=status]"), "Issue #1 is being sent to 2 readers.");
        WebElement row = browser.findElement(By.id("issue-1"));
        assertTrue(row.getText().startsWith("#1 MANUAL Storm special SENDING Mon 2 Mar, 09:00 UTC"), row.getText());
        assertEquals("0 of 2 handled", row.findElement(By.cssSelector("td.progress .muted")).getText());
        assertEquals("every 2s", row.getAttribute("hx-trigger"));

        browser.findElement(By.cssSelector("button[aria-label='Pause issue 1']")).click();
        waitForText(By.cssSelector("[role=status]"), "Issue paused");
        assertEquals("PAUSED", browser.findElement(By.cssSelector("#issue-1 .status")).getText());
        assertEquals(0, sender.sendDue(), "a paused issue waits");
        browser.findElement(By.cssSelector("button[aria-label='Resume issue 1']")).click();
        waitForText(By.cssSelector("[role=status]"), "Issue resumed.");
        assertEquals("SENDING", browser.findElement(By.cssSelector("#issue-1 .status")).getText());
        assertEquals("0 of 2 handled", browser.findElement(By.cssSelector("#issue-1 td.progress .muted")).getText());

        // the sender works while the page stays open: htmx polling moves the bar without a reload
        assertEquals(2, sender.sendDue());
        waitForText(By.cssSelector("#issue-1 td.progress"), "2 of 2 handled");
        assertEquals("100", browser.findElement(By.cssSelector("#issue-1 progress")).getAttribute("value"));
        assertTrue(greenMail.waitForIncomingEmail(5000, 2));
        List<String> to = new java.util.ArrayList<>();
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            assertEquals("Storm special: Storm reaches the coast", m.getSubject());
            to.add(((InternetAddress) m.getAllRecipients()[0]).getAddress());
        }
        assertEquals(List.of("ana@example.org", "bo@example.org"), to.stream().sorted().toList());

        browser.findElement(By.cssSelector("button[aria-label='Cancel issue 1']")).click();
        waitForText(By.tagName("h1"), "Cancel issue #1 of World this morning?");
        assertEquals("Cancel Storm special, going to 2 readers?", browser.findElement(By.id("cancel-question")).getText());
        browser.findElement(By.xpath("//button[text()='Cancel issue #1']")).click();
        waitForText(By.cssSelector("[role=status]"), "Issue cancelled");
        assertEquals("CANCELLED", browser.findElement(By.cssSelector("#issue-1 .status")).getText());
        assertTrue(browser.findElements(By.cssSelector("#issue-1 button")).isEmpty(), "no action on a cancelled issue");
        assertEquals(IssueStatus.CANCELLED, DigestIssue.<DigestIssue>findAll().firstResult().status);
    }
}
