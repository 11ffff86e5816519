package dev.gazette.digest;

import static dev.gazette.testing.Visitors.CHROME;
import static dev.gazette.testing.Visitors.FIREFOX;
import static dev.gazette.testing.Visitors.MASTODON;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.link.ClickRecorder;
import dev.gazette.link.ClickWriter;
import dev.gazette.link.TrackedLink;
import dev.gazette.subscriber.Frequency;
import dev.gazette.subscriber.Subscriber;
import dev.gazette.subscriber.SubscriptionService;
import dev.gazette.subscriber.SuppressionReason;
import dev.gazette.subscriber.SuppressionService;
import dev.gazette.testing.EditorSession;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.HtmlValidator;
import dev.gazette.testing.Visitors;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * An issue's analytics from a real send: readers click tracked links from the mail they received (through the real
 * redirect, one of them twice, and a link-preview bot once), one bounces, one complains, two unsubscribe through the
 * issue's own links, one is unsubscribed by an editor; the API and the editor's report page show exactly that.
 */
@QuarkusTest
class IssueAnalyticsTest extends DigestTestBase {

    private static final String SECRET = "hook-secret-for-tests";
    private static final Pattern TRACKED = Pattern.compile("http://localhost:8080/r/([A-Za-z0-9]+)");
    private static final Pattern ONE_CLICK = Pattern.compile("<http://localhost:8080(/u/[A-Za-z0-9_.-]+)>");
    private static final Pattern MAILTO = Pattern.compile("subject=unsubscribe%20([^>]+)>");

    @Inject
    ClickRecorder clickRecorder;

    @Inject
    ClickWriter clickWriter;

    @Inject
    SuppressionService suppressions;

    @Inject
    SubscriptionService subscriptions;

    private String token;
    private Newsletter newsletter;

    @BeforeEach
    void trackedNewsletterWithTwoStories() {
        token = fixtures.editorToken();
        worldNews();
        clock.set(Instant.parse("2026-03-02T08:30:00Z"));
        fixtures.published("Heat records fall", "Body.", "world");
        clock.set(Instant.parse("2026-03-02T09:00:00Z"));
        newsletter = daily("world");
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"trackLinks\": true}")
                .when().patch("/api/v1/newsletters/" + newsletter.id).then().statusCode(200);
    }

    private long sendNow() {
        long readers = given().auth().oauth2(token).get("/api/v1/newsletters/" + newsletter.id + "/audience")
                .then().statusCode(200).extract().jsonPath().getLong("recipients");
        return given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"expectedRecipients\":" + readers + "}")
                .when().post("/api/v1/newsletters/" + newsletter.id + "/issues")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** The tracked link of each article in a received digest, by the article's slug (looked up, not visited). */
    private Map<String, String> trackedLinks(String address) throws Exception {
        Map<String, String> codes = new HashMap<>();
        Matcher m = TRACKED.matcher(DigestDeliveryTest.text(messageTo(address)));
        while (m.find()) {
            String code = m.group(1);
            String target = QuarkusTransaction.requiringNew().call(() -> TrackedLink.<TrackedLink>find("code", code).singleResult().targetUrl);
            codes.put(target.substring(target.lastIndexOf('/') + 1), code);
        }
        return codes;
    }

    private void report(String type, long deliveryId, String address) {
        given().header("X-Gazette-Secret", SECRET).contentType(ContentType.JSON)
                .body("{\"type\": \"%s\", \"recipient\": \"%s\", \"bounceAddress\": \"bounce+d%d@localhost\", \"status\": \"5.1.1\"}"
                        .formatted(type, address, deliveryId))
                .when().post("/hooks/mail/gazette").then().statusCode(200).body("applied", equalTo(1));
    }

    /** Sends the issue to six readers and lets them act; returns the issue. */
    private long sendAndAct() throws Exception {
        Subscriber ana = fixtures.reader("ana@example.org", "UTC", Frequency.DAILY, "world");
        Subscriber ben = fixtures.reader("ben@example.org", "UTC", Frequency.DAILY, "world");
        Subscriber cat = fixtures.reader("cat@example.org", "UTC", Frequency.DAILY, "world");
        fixtures.reader("dan@example.org", "UTC", Frequency.DAILY, "world");
        fixtures.reader("eve@example.org", "UTC", Frequency.DAILY, "world");
        Subscriber fay = fixtures.reader("fay@example.org", "UTC", Frequency.DAILY, "world");
        long issue = sendNow();
        // blocked between planning and sending: skipped
        suppressions.suppress("dan@example.org", SuppressionReason.BLOCKED, "test");
        sender.sendDue();
        assertEquals(5, greenMail.getReceivedMessages().length);

        Map<String, String> anaLinks = trackedLinks("ana@example.org");
        Map<String, String> benLinks = trackedLinks("ben@example.org");
        assertEquals(anaLinks, benLinks, "one tracked link per article and issue");
        String storm = anaLinks.get("storm-reaches-the-coast");
        String heat = anaLinks.get("heat-records-fall");
        assertNotNull(storm, anaLinks.toString());
        assertNotNull(heat, anaLinks.toString());
        Visitors.visit(storm, CHROME).then().statusCode(302);
        Visitors.visit(storm, CHROME).then().statusCode(302); // the same person again within the hour
        Visitors.visit(heat, CHROME).then().statusCode(302);
        Visitors.visit(storm, FIREFOX).then().statusCode(302);
        Visitors.visit(storm, MASTODON).then().statusCode(302); // a link preview: not a click
        clickRecorder.flush();

        report("hard_bounce", delivery(ben.id).id(), "ben@example.org");
        report("complaint", delivery(cat.id).id(), "cat@example.org");

        Matcher oneClick = ONE_CLICK.matcher(messageTo("ana@example.org").getHeader("List-Unsubscribe", null));
        assertTrue(oneClick.find());
        given().contentType(ContentType.URLENC).formParam("List-Unsubscribe", "One-Click").when().post(oneClick.group(1))
                .then().statusCode(200);
        Matcher mailto = MAILTO.matcher(messageTo("eve@example.org").getHeader("List-Unsubscribe", null));
        assertTrue(mailto.find());
        String mail = "From: eve@example.org\r\nTo: unsubscribe@localhost\r\nSubject: unsubscribe " + mailto.group(1) + "\r\n\r\n\r\n";
        given().header("X-Gazette-Secret", SECRET).contentType("message/rfc822").body(mail.getBytes(StandardCharsets.UTF_8))
                .when().post("/hooks/mail/inbound").then().statusCode(200).body("result", equalTo("VALID"));
        subscriptions.unsubscribe(fay.id, "editor"); // not through the issue
        return issue;
    }

    @Test
    void shouldReportWhatAnIssueDidInTheApi() throws Exception {
        long issue = sendAndAct();

        JsonPath report = given().auth().oauth2(token).when().get("/api/v1/issues/" + issue + "/report")
                .then().statusCode(200).contentType(ContentType.JSON).extract().jsonPath();
        assertEquals(issue, report.getLong("issueId"));
        assertEquals(1, report.getInt("number"));
        assertEquals(Map.of("total", 6, "sent", 5, "skipped", 1, "failed", 0, "bounced", 1, "complaints", 1),
                report.getMap("deliveries"));
        assertEquals(2, report.getInt("unsubscribes"), "ana's one-click link and eve's mailto, not fay's editor unsubscribe");
        assertEquals(2, report.getInt("uniqueClickers"), "ana (twice, two articles) and ben; not the bot");
        assertEquals(3, report.getInt("clicks"));
        List<Map<String, Object>> articles = report.getList("articles");
        assertEquals(2, articles.size());
        assertEquals("Storm reaches the coast", articles.get(0).get("title"));
        assertEquals(List.of(2, 2, 1), List.of(articles.get(0).get("clicks"), articles.get(0).get("uniqueClicks"),
                articles.get(0).get("previews")));
        assertEquals("Heat records fall", articles.get(1).get("title"));
        assertEquals(List.of(1, 1, 0), List.of(articles.get(1).get("clicks"), articles.get(1).get("uniqueClicks"),
                articles.get(1).get("previews")));

        given().auth().oauth2(token).when().get("/api/v1/issues/999999/report")
                .then().statusCode(404).contentType("application/problem+json");
        given().when().get("/api/v1/issues/" + issue + "/report").then().statusCode(401);
    }

    @Test
    void shouldShowTheReportPageFromTheIssueRow() throws Exception {
        long issue = sendAndAct();
        EditorSession editor = EditorSession.signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD, "/admin/newsletters/" + newsletter.id);

        Document newsletterPage = Jsoup.parse(editor.page().get("/admin/newsletters/" + newsletter.id)
                .then().statusCode(200).extract().asString());
        Element link = newsletterPage.selectFirst("#issue-1 a[aria-label=Report of issue 1]");
        assertNotNull(link, "the issue row links to its report");
        String path = link.attr("href");
        assertEquals("/admin/newsletters/" + newsletter.id + "/issues/" + issue + "/report", path);

        String html = editor.page().get(path).then().statusCode(200).extract().asString();
        // htmx's hx-* attributes on the shared layout's body are not HTML5; everything else must be
        assertEquals(List.of(), new HtmlValidator().errors(html).stream().filter(e -> !e.contains("“hx-")).toList());
        Document page = Jsoup.parse(html);
        assertEquals("Issue #1 of World this morning", page.selectFirst("h1").text());
        Map<String, String> numbers = new HashMap<>();
        for (Element row : page.select("#issue-numbers tbody tr")) {
            numbers.put(row.selectFirst("th").text(), row.selectFirst("td").text());
        }
        assertEquals(Map.of("Sent", "5", "Skipped", "1", "Failed", "0", "Bounced", "1", "Complaints", "1", "Unsubscribes", "2",
                "Unique clickers", "2"), numbers);
        assertNotNull(page.selectFirst("div.table-scroll > #issue-numbers"), "in its scrolling box");
        assertNotNull(page.selectFirst("div.table-scroll > #article-clicks"), "in its scrolling box");
        List<List<String>> articles = page.select("#article-clicks tbody tr").stream()
                .map(r -> r.select("th, td").stream().map(Element::text).toList()).toList();
        assertEquals(List.of(List.of("Storm reaches the coast", "2", "2", "1"), List.of("Heat records fall", "1", "1", "0")), articles);
        assertEquals("Clicks in all: 3; bots and link previews are counted apart", page.selectFirst("#article-clicks caption").text());
        assertEquals("Deliveries planned: 6", page.selectFirst("#issue-numbers caption").text());

        editor.page().get("/admin/newsletters/" + (newsletter.id + 1) + "/issues/" + issue + "/report").then().statusCode(404);
    }

    @Test
    void shouldCountAClickerOncePerUtcDayAcrossLinksAndBatches() throws Exception {
        fixtures.reader("ana@example.org", "UTC", Frequency.DAILY, "world");
        long issue = sendNow();
        sender.sendDue();
        Map<String, String> links = trackedLinks("ana@example.org");
        Visitors.visit(links.get("storm-reaches-the-coast"), CHROME).then().statusCode(302);
        clickRecorder.flush();
        Visitors.visit(links.get("heat-records-fall"), CHROME).then().statusCode(302);
        clickRecorder.flush();
        assertEquals(List.of(1, 2), clickers(issue), "one person, two articles, two batches: one clicker");

        clock.set(Instant.parse("2026-03-03T09:00:00Z"));
        Visitors.visit(links.get("storm-reaches-the-coast"), CHROME).then().statusCode(302);
        clickRecorder.flush();
        assertEquals(List.of(2, 3), clickers(issue), "visitors are told apart per UTC day, so the next day counts again");

        clickWriter.prune(Instant.parse("2026-03-06T09:00:00Z"));
        assertEquals(List.of(2, 3), clickers(issue), "pruning the de-duplication rows keeps the counts");
    }

    private List<Integer> clickers(long issue) {
        JsonPath report = given().auth().oauth2(token).when().get("/api/v1/issues/" + issue + "/report")
                .then().statusCode(200).extract().jsonPath();
        return List.of(report.getInt("uniqueClickers"), report.getInt("clicks"));
    }
}
