package dev.gazette.admin.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.mail.Multipart;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chromium.ChromiumDriver;

import dev.gazette.digest.Cadence;
import dev.gazette.digest.DigestSender;
import dev.gazette.digest.NewsletterInput;
import dev.gazette.digest.NewsletterService;
import dev.gazette.link.ClickRecorder;
import dev.gazette.subscriber.Frequency;
import dev.gazette.testing.BrowserTest;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.Visitors;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * Issue analytics in Chromium: a reader follows a tracked link of a digest they received, then the editor opens the
 * issue's report from its row on the newsletter's page and sees the click.
 */
@QuarkusTest
@TestProfile(IssueAnalyticsUiTest.SiteUnderTest.class)
class IssueAnalyticsUiTest extends BrowserTest {

    /** Links in mail point at the server under test, so the reader lands on the article page. */
    public static class SiteUnderTest implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gazette.site.base-url", "http://localhost:8081");
        }
    }

    private static final Pattern TRACKED = Pattern.compile("http://localhost:8081(/r/[A-Za-z0-9]+)");

    @Inject
    NewsletterService newsletters;

    @Inject
    DigestSender sender;

    @Inject
    ClickRecorder clickRecorder;

    private List<List<String>> rows(String tableId) {
        List<List<String>> rows = new ArrayList<>();
        for (WebElement tr : browser.findElements(By.cssSelector("#" + tableId + " tbody tr"))) {
            rows.add(tr.findElements(By.cssSelector("th, td")).stream().map(WebElement::getText).toList());
        }
        return rows;
    }

    @Test
    void issueAnalyticsShowAClickMadeThroughADigest() throws Exception {
        String token = fixtures.editorToken();
        fixtures.topic("World", "world");
        clock.set(Instant.parse("2026-03-02T08:00:00Z"));
        fixtures.published("Storm reaches the coast", "Body.", "world");
        clock.set(Instant.parse("2026-03-02T09:00:00Z"));
        long newsletter = newsletters.create(new NewsletterInput("World this morning", "world-morning", null, List.of("world"),
                Cadence.DAILY, null, "07:00", "Gazette World", "world@news.example.org", null, null, null, null, true, null,
                null)).id;
        fixtures.reader("reader@example.org", "UTC", Frequency.DAILY, "world");
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"expectedRecipients\": 1}")
                .when().post("/api/v1/newsletters/" + newsletter + "/issues").then().statusCode(201);
        sender.sendDue();

        Multipart parts = (Multipart) greenMail.getReceivedMessages()[0].getContent();
        Matcher link = TRACKED.matcher(parts.getBodyPart(1).getContent().toString());
        assertTrue(link.find(), "a tracked link in the HTML part");
        // Headless Chromium says "HeadlessChrome", which the bot filter rightly counts as a preview: the reader's
        // browser is an ordinary Chrome.
        ((ChromiumDriver) browser).executeCdpCommand("Emulation.setUserAgentOverride", Map.of("userAgent", Visitors.CHROME));
        open(link.group(1));
        waitForText(By.tagName("h1"), "Storm reaches the coast");
        assertTrue(browser.getCurrentUrl().contains("/articles/storm-reaches-the-coast?utm_source=world-morning"),
                browser.getCurrentUrl());
        clickRecorder.flush();

        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        open("/admin/newsletters/" + newsletter);
        browser.findElement(By.cssSelector("#issue-1 a[aria-label='Report of issue 1']")).click();
        waitFor(By.id("issue-numbers"));
        assertEquals("Issue #1 of World this morning", browser.findElement(By.tagName("h1")).getText());
        List<List<String>> numbers = rows("issue-numbers");
        assertTrue(numbers.contains(List.of("Sent", "1", "accepted by the mail server")), numbers.toString());
        assertEquals(List.of("Unique clickers", "1"), numbers.get(6).subList(0, 2));
        assertEquals(List.of(List.of("Storm reaches the coast", "1", "1", "0")), rows("article-clicks"));
    }
}
