package dev.gazette.admin.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.digest.Cadence;
import dev.gazette.digest.DeliveryStatus;
import dev.gazette.digest.DigestIssue;
import dev.gazette.digest.IssueService;
import dev.gazette.digest.IssueStatus;
import dev.gazette.digest.Newsletter;
import dev.gazette.digest.NewsletterInput;
import dev.gazette.digest.NewsletterService;
import dev.gazette.subscriber.Frequency;
import dev.gazette.subscriber.Subscriber;
import dev.gazette.testing.EditorSession;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.GazetteTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The newsletter pages over HTTP: validation shown next to the fields, send now, pause, resume and cancel, the
 * preview, and the test send's checks.
 */
@QuarkusTest
class NewsletterPagesTest extends GazetteTest {


    @Inject
    NewsletterService newsletters;

    @Inject
    IssueService issues;

    private EditorSession editor;

    @BeforeEach
    void signIn() {
        fixtures.editorToken();
        fixtures.topic("World", "world");
        editor = EditorSession.signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD, "/admin/newsletters");
    }

    private RequestSpecification page() {
        return editor.page();
    }

    private RequestSpecification form() {
        return editor.form();
    }

    private Newsletter daily() {
        return newsletters.create(new NewsletterInput("World this morning", "world-morning", null, List.of("world"), Cadence.DAILY,
                null, "07:00", "Gazette World", "world@news.example.org", null, null, null, null, null, null, null));
    }

    private RequestSpecification newsletterForm(String name, String slug, String sendTime, String fromAddress, String topic) {
        return form().formParam("name", name).formParam("slug", slug).formParam("description", "").formParam("topic", topic)
                .formParam("cadence", "WEEKLY").formParam("weeklyDay", "FRIDAY").formParam("sendTime", sendTime)
                .formParam("fromName", "").formParam("fromAddress", fromAddress).formParam("replyTo", "")
                .formParam("listId", "").formParam("maxItems", "8").formParam("template", "COMPACT").formParam("active", "on");
    }

    @Test
    void formErrorsAreShownNextToTheirFieldsWithWhatWasTyped() {
        String html = newsletterForm("Evening", "", "25:00", "not-an-address", "world").post("/admin/newsletters")
                .then().statusCode(400).extract().asString();
        assertTrue(html.contains("<p class=\"field-error\" id=\"sendTime-error\">must be a time of day as HH:mm</p>"), html);
        assertTrue(html.contains("<p class=\"field-error\" id=\"fromAddress-error\">must be a well-formed email address</p>"), html);
        assertTrue(html.contains("value=\"25:00\" required inputmode=\"numeric\" maxlength=\"5\" placeholder=\"07:00\""
                + " aria-describedby=\"sendTime-hint sendTime-error\" aria-invalid=\"true\""), html);
        assertTrue(html.contains("id=\"name\" name=\"name\" value=\"Evening\""), "what was typed is kept");
        assertTrue(html.contains("<option value=\"FRIDAY\" selected>Friday</option>"), html);
        assertTrue(html.contains("Enter the send time as HH:mm to see the next runs."), html);
        assertEquals(0, Newsletter.count());

        // the service's own checks: unknown topics, a slug taken, required fields
        daily();
        html = newsletterForm("Evening", "", "18:00", "e@news.example.org", "nope").post("/admin/newsletters")
                .then().statusCode(400).extract().asString();
        assertTrue(html.contains("<p class=\"field-error\" id=\"topics-error\">unknown topics: nope</p>"), html);
        html = newsletterForm("Evening", "world-morning", "18:00", "e@news.example.org", "world").post("/admin/newsletters")
                .then().statusCode(400).extract().asString();
        assertTrue(html.contains("<p class=\"field-error\" id=\"slug-error\">The slug world-morning is taken.</p>"), html);
        html = newsletterForm("Evening\r\nBcc: victim@example.org", "evening", "18:00", "e@news.example.org", "world")
                .post("/admin/newsletters").then().statusCode(400).extract().asString();
        assertTrue(html.contains("<p class=\"field-error\" id=\"name-error\">must not contain control characters"), html);
        html = newsletterForm(" ", "", "", "", "world").post("/admin/newsletters").then().statusCode(400).extract().asString();
        for (String field : List.of("name", "sendTime", "fromAddress")) {
            assertTrue(html.contains("id=\"" + field + "-error\">must not be blank</p>"), field + "\n" + html);
        }
        assertEquals(1, Newsletter.count());

        // and a valid one
        String location = newsletterForm("Evening", "", "18:00", "e@news.example.org", "world").post("/admin/newsletters")
                .then().statusCode(303).extract().header("Location");
        assertTrue(location.matches(".*/admin/newsletters/\\d+\\?notice=created"), location);
        Newsletter evening = Newsletter.findBySlug("evening").orElseThrow();
        assertEquals(Cadence.WEEKLY, evening.cadence);
        assertEquals(java.time.DayOfWeek.FRIDAY, evening.weeklyDay);
        assertEquals(8, evening.maxItems);
        assertEquals("evening.localhost", evening.listId);
        assertEquals(dev.gazette.digest.DigestTemplate.COMPACT, evening.template);
        assertTrue(evening.active);

        // editing: unticked boxes turn options off, a cleared required field is refused
        form().formParam("name", "Evening").formParam("cadence", "DAILY").formParam("weeklyDay", "FRIDAY").formParam("sendTime", "")
                .formParam("fromAddress", "e@news.example.org").post("/admin/newsletters/" + evening.id).then().statusCode(400)
                .body(containsString("id=\"sendTime-error\">must not be blank</p>"));
        form().formParam("name", "Evening news").formParam("cadence", "DAILY").formParam("weeklyDay", "FRIDAY")
                .formParam("sendTime", "18:30").formParam("fromAddress", "e@news.example.org").formParam("fromName", "Desk")
                .post("/admin/newsletters/" + evening.id).then().statusCode(303)
                .header("Location", containsString("/admin/newsletters/" + evening.id + "?notice=saved"));
        Newsletter saved = newsletters.get(evening.id);
        assertEquals("Evening news", saved.name);
        assertEquals(java.time.LocalTime.of(18, 30), saved.sendTime);
        assertEquals(false, saved.active);
        assertTrue(saved.allTopics, "no topic ticked: every topic");
        page().get("/admin/newsletters/" + evening.id).then().statusCode(200)
                .body(containsString("The newsletter is not active: no issue is planned until it is."));
    }

    @Test
    void theNextRunsFollowWhatIsTyped() {
        page().queryParam("cadence", "WEEKLY").queryParam("weeklyDay", "SUNDAY").queryParam("sendTime", "02:30")
                .get("/admin/newsletters/next-runs").then().statusCode(200)
                // 02:30 does not exist in New York on 8 March: the reader gets it at 03:30 EDT
                .body(containsString("<tr><th scope=\"row\">America/New_York</th><td>Sun 8 Mar 2026, 03:30 EDT</td><td>Sun 8 Mar 2026, 07:30 UTC</td></tr>"))
                .body(containsString("<tr><th scope=\"row\">America/New_York</th><td>Sun 15 Mar 2026, 02:30 EDT</td><td>Sun 15 Mar 2026, 06:30 UTC</td></tr>"));
        page().queryParam("cadence", "DAILY").queryParam("weeklyDay", "MONDAY").queryParam("sendTime", "7h")
                .get("/admin/newsletters/next-runs").then().statusCode(200)
                .body(containsString("Enter the send time as HH:mm to see the next runs."));
    }

    /** The hidden fields of the confirmation form on a page, by name. */
    private static java.util.Map<String, String> hidden(String html) {
        java.util.Map<String, String> fields = new java.util.HashMap<>();
        Matcher m = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">").matcher(html);
        while (m.find()) {
            fields.put(m.group(1), m.group(2));
        }
        return fields;
    }

    private RequestSpecification answer(java.util.Map<String, String> fields) {
        RequestSpecification form = page().contentType(ContentType.URLENC);
        fields.forEach(form::formParam);
        return form;
    }

    @Test
    void sendNowNeedsAConfirmationOfTheCountAndTheSubject() throws Exception {
        Newsletter n = daily();
        fixtures.published("Storm reaches the coast", "Winds.", "world");
        fixtures.reader("ana@example.org", "Europe/Paris", Frequency.DAILY, "world");
        fixtures.reader("bo@example.org", "UTC", Frequency.DAILY);
        String base = "/admin/newsletters/" + n.id;

        page().contentType(ContentType.URLENC).formParam("subject", "x").post(base + "/send").then().statusCode(403);
        page().queryParam("subject", "s".repeat(301)).get(base + "/send").then().statusCode(400)
                .body(containsString("id=\"subject-error\">size must be between 0 and 300</p>"));
        // neither the old form nor a "confirmed" flag sends
        form().formParam("subject", "Storm special").post(base + "/send").then().statusCode(400)
                .body(containsString("Nothing was sent: a send needs your confirmation of the subject and the number of readers."));
        form().formParam("subject", "Storm special").formParam("confirmed", "true").formParam("expectedRecipients", "2")
                .formParam("issueNumber", "1").post(base + "/send").then().statusCode(400);
        assertEquals(0, DigestIssue.count(), "no issue without a confirmation");

        String confirm = page().queryParam("subject", "  Storm special ").get(base + "/send").then().statusCode(200).extract().asString();
        assertTrue(confirm.contains("Send <strong><em>Storm special</em></strong> to <strong>2 readers</strong> now?"), confirm);
        java.util.Map<String, String> shown = hidden(confirm);
        assertEquals("2", shown.get("expectedRecipients"));
        assertEquals("1", shown.get("issueNumber"));

        // a confirmation of something else: another count, another subject, a forged token
        java.util.Map<String, String> forged = new java.util.HashMap<>(shown);
        forged.put("expectedRecipients", "1");
        answer(forged).post(base + "/send").then().statusCode(400);
        forged = new java.util.HashMap<>(shown);
        forged.put("subject", "Something else");
        answer(forged).post(base + "/send").then().statusCode(400);
        forged = new java.util.HashMap<>(shown);
        String signed = shown.get("confirmation");
        char flipped = signed.charAt(signed.length() - 3) == 'A' ? 'B' : 'A';
        forged.put("confirmation", signed.substring(0, signed.length() - 3) + flipped + signed.substring(signed.length() - 2));
        answer(forged).post(base + "/send").then().statusCode(400);
        assertEquals(0, DigestIssue.count());

        // a reader joins between the confirmation and the answer: nothing is sent and the new count is shown
        fixtures.reader("cy@example.org", "UTC", Frequency.DAILY, "world");
        String changed = answer(shown).post(base + "/send").then().statusCode(409).extract().asString();
        assertTrue(changed.contains("Nothing was sent: the number of readers changed since you confirmed (2 then)."), changed);
        assertTrue(changed.contains("Send <strong><em>Storm special</em></strong> to <strong>3 readers</strong> now?"), changed);
        assertEquals(0, DigestIssue.count());

        // a confirmation is short-lived
        java.util.Map<String, String> late = hidden(changed);
        clock.advance(java.time.Duration.ofMinutes(11));
        answer(late).post(base + "/send").then().statusCode(409)
                .body(containsString("Nothing was sent: the confirmation is valid for 10 minutes and that time is up."));
        clock.reset();
        assertEquals(0, DigestIssue.count());

        java.util.Map<String, String> fresh = hidden(page().queryParam("subject", "Storm special").get(base + "/send").then()
                .statusCode(200).extract().asString());
        answer(fresh).post(base + "/send").then().statusCode(303)
                .header("Location", containsString(base + "?notice=sent&issue=1&readers=3"));
        DigestIssue issue = DigestIssue.<DigestIssue>findAll().firstResult();
        assertEquals("Storm special", issue.subject);
        assertEquals(IssueStatus.SENDING, issue.status);
        assertEquals(Fixtures.EDITOR, issue.createdBy);
        assertEquals(3, issues.progress(issue.id).total());
        // the same answer again (a double click, the back button) does not send a second issue
        answer(fresh).post(base + "/send").then().statusCode(409)
                .body(containsString("was created after this send was confirmed, so it was not sent again."));
        assertEquals(1, DigestIssue.count());
    }

    @Test
    void anIssueRowFollowsItsIssueAndCancelNeedsAConfirmation() throws Exception {
        Newsletter n = daily();
        fixtures.published("Storm reaches the coast", "Winds.", "world");
        fixtures.reader("ana@example.org", "Europe/Paris", Frequency.DAILY, "world");
        fixtures.reader("bo@example.org", "UTC", Frequency.DAILY);
        String base = "/admin/newsletters/" + n.id;
        DigestIssue issue = issues.sendManual(n.id, null, "Storm special", Fixtures.EDITOR, 2L, 1).issue();

        String html = page().get(base + "?notice=sent&issue=1&readers=2").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<p class=\"notice\" role=\"status\">Issue #1 is being sent to 2 readers.</p>"), html);
        String row = base + "/issues/" + issue.id + "/row";
        assertTrue(html.contains("<tr id=\"issue-1\" hx-get=\"" + row + "\" hx-trigger=\"every 2s\" hx-swap=\"outerHTML\">"), html);
        assertTrue(html.contains("aria-label=\"Pause issue 1\""), html);
        page().get(row).then().statusCode(200).body(containsString("<span class=\"muted\">0 of 2 handled</span>"))
                .body(containsString("hx-trigger=\"every 2s\""));

        String action = base + "/issues/" + issue.id;
        form().post(action + "/pause").then().statusCode(303).header("Location", containsString("notice=paused"));
        assertEquals(IssueStatus.PAUSED, issues.get(issue.id).status);
        html = page().get(base).then().statusCode(200).extract().asString();
        assertTrue(html.contains("aria-label=\"Resume issue 1\"") && !html.contains("aria-label=\"Pause issue 1\""), html);
        form().post(action + "/resume").then().statusCode(303).header("Location", containsString("notice=resumed"));
        assertEquals(IssueStatus.SENDING, issues.get(issue.id).status);

        // cancel: not without a confirmation of this issue and its readers
        form().post(action + "/cancel").then().statusCode(400)
                .body(containsString("Nothing was cancelled: cancelling needs your confirmation of the issue and its readers."));
        String confirm = page().get(action + "/cancel").then().statusCode(200).extract().asString();
        assertTrue(confirm.contains("Cancel <strong><em>Storm special</em></strong>, going to <strong>2 readers</strong>?"), confirm);
        java.util.Map<String, String> forged = new java.util.HashMap<>(hidden(confirm));
        forged.put("expectedRecipients", "5");
        answer(forged).post(action + "/cancel").then().statusCode(400);
        assertEquals(IssueStatus.SENDING, issues.get(issue.id).status);
        answer(hidden(confirm)).post(action + "/cancel").then().statusCode(303).header("Location", containsString("notice=cancelled"));
        assertEquals(IssueStatus.CANCELLED, issues.get(issue.id).status);
        assertEquals(2L, issues.progress(issue.id).deliveries().get(DeliveryStatus.CANCELLED));
        html = page().get(base + "?notice=cancelled").then().statusCode(200).extract().asString();
        assertTrue(html.contains("Issue cancelled: what was not sent yet will not be sent."), html);
        assertTrue(html.contains("<span class=\"status CANCELLED\">CANCELLED</span>"), html);
        assertTrue(html.contains("0 sent · 0 skipped · 0 failed · 0 bounced · 2 cancelled"), html);
        assertTrue(!html.contains("issue 1\">Pause") && !html.contains("aria-label=\"Cancel issue 1\"") && !html.contains("hx-get=\"" + row),
                html);
        page().get(action + "/cancel").then().statusCode(409).body(containsString("there is nothing left to cancel"));

        // the service's refusal is shown on the page
        form().post(action + "/pause").then().statusCode(409)
                .body(containsString("Only an issue that is sending can be paused; this one is CANCELLED."));
        // an issue of another newsletter is not reachable through this one
        long other = fixtures.digestIssue("Evening", "evening");
        page().get(base + "/issues/" + other + "/cancel").then().statusCode(404);
        form().post(base + "/issues/" + other + "/cancel").then().statusCode(404);
        page().get(base + "/issues/" + other + "/row").then().statusCode(404);
        assertEquals(IssueStatus.SENDING, issues.get(other).status);
    }

    @Test
    void previewAndTestSendAreChecked() throws Exception {
        Newsletter n = daily();
        String base = "/admin/newsletters/" + n.id;
        page().get(base + "/preview").then().statusCode(404)
                .body(containsString("No article in the newsletter&#39;s topics in its last period: no digest would be sent."));

        fixtures.published("Storm reaches the coast", "Winds.", "world");
        Subscriber ana = fixtures.reader("ana@example.org", "Europe/Paris", Frequency.DAILY, "world");
        page().queryParam("subscriberId", "abc").get(base + "/preview").then().statusCode(400)
                .body(containsString("id=\"subscriberId-error\">must be a reader&#39;s number, or empty for a generic digest</p>"));
        page().queryParam("subscriberId", "999999").get(base + "/preview").then().statusCode(404)
                .body(containsString("Subscriber 999999 does not exist."));
        String html = page().queryParam("subscriberId", ana.id).get(base + "/preview").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<strong id=\"digest-subject\">World this morning: Storm reaches the coast</strong>"), html);
        assertTrue(html.contains("the next digest of reader " + ana.id), html);
        assertTrue(html.contains("<iframe class=\"mail\" title=\"HTML version of the digest\" sandbox=\"allow-popups allow-popups-to-escape-sandbox\" src=\"/admin/frames/newsletters/"
                + n.id + "?subscriberId=" + ana.id + "\">"), html);
        // the frame's document is the mail's HTML as sent, under its own policy: inline styles allowed, nothing runs
        String mail = page().queryParam("subscriberId", ana.id).get("/admin/frames/newsletters/" + n.id).then().statusCode(200)
                .header("Content-Security-Policy", containsString("sandbox allow-popups"))
                .header("Content-Security-Policy", containsString("default-src 'none'"))
                .header("X-Frame-Options", "SAMEORIGIN").extract().asString();
        assertTrue(mail.contains("Storm reaches the coast") && mail.contains("style=\""), mail);
        page().queryParam("subscriberId", "abc").get("/admin/frames/newsletters/" + n.id).then().statusCode(400);
        given().redirects().follow(false).get("/admin/frames/newsletters/" + n.id).then().statusCode(302);
        Matcher text = Pattern.compile("<pre class=\"post\" id=\"digest-text\">([^<]*)</pre>").matcher(html);
        assertTrue(text.find(), html);
        assertTrue(text.group(1).contains("Storm reaches the coast") && text.group(1).contains("/u/"), text.group(1));

        form().formParam("to", "not-an-address").post(base + "/test").then().statusCode(400)
                .body(containsString("id=\"test-to-error\">must be a well-formed email address</p>"))
                .body(containsString("value=\"not-an-address\""));
        form().formParam("to", "editor@example.org").formParam("subscriberId", "999999").post(base + "/test").then().statusCode(404)
                .body(containsString("Subscriber 999999 does not exist."));
        assertEquals(0, greenMail.getReceivedMessages().length);
        form().formParam("to", "editor@example.org").formParam("subscriberId", ana.id.toString()).post(base + "/test").then()
                .statusCode(303).header("Location", containsString(base + "?notice=test&to=editor%40example.org"));
        assertTrue(greenMail.waitForIncomingEmail(5000, 1));
        assertEquals("[Test] World this morning: Storm reaches the coast", greenMail.getReceivedMessages()[0].getSubject());
        page().get(base + "?notice=test&to=<b>x@y</b>").then().statusCode(200)
                .body(containsString("sent to &lt;b&gt;x@y&lt;/b&gt;.")).body(not(containsString("<b>x@y")));
    }
}
