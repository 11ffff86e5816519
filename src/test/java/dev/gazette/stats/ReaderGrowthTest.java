package dev.gazette.stats;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.digest.Cadence;
import dev.gazette.digest.NewsletterInput;
import dev.gazette.digest.NewsletterService;
import dev.gazette.subscriber.Frequency;
import dev.gazette.subscriber.Subscriber;
import dev.gazette.subscriber.SubscriberEvent;
import dev.gazette.subscriber.SubscriptionService;
import dev.gazette.subscriber.SuppressionReason;
import dev.gazette.subscriber.SuppressionService;
import dev.gazette.testing.EditorSession;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.GazetteTest;
import dev.gazette.testing.HtmlValidator;
import dev.gazette.testing.NewsroomZoneProfile;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * A newsletter's readers per day in the site's zone (Paris here), across the night summer time ends (25 October 2026,
 * a 25-hour day): readers, confirmations, unsubscribes and suppressions on known days, in the API, the CSV and the
 * editor's page; readers of other topics left out; bad ranges refused naming the parameter.
 */
@QuarkusTest
@TestProfile(NewsroomZoneProfile.class)
class ReaderGrowthTest extends GazetteTest {

    private static final String RANGE = "from=2026-10-24&to=2026-10-27";
    private static final String CSV = """
            day,new,confirmed,unsubscribed,suppressed
            2026-10-24,1,1,0,0
            2026-10-25,2,2,0,0
            2026-10-26,1,2,1,0
            2026-10-27,0,0,1,1
            """;

    @Inject
    NewsletterService newsletters;

    @Inject
    SubscriptionService subscriptions;

    @Inject
    SuppressionService suppressions;

    private String token;
    private long newsletter;

    @BeforeEach
    void newsletterOfWorld() {
        token = fixtures.editorToken();
        fixtures.topic("World", "world");
        fixtures.topic("Sport", "sport");
        newsletter = newsletters.create(new NewsletterInput("World this morning", "world-morning", null, List.of("world"),
                Cadence.DAILY, null, "07:00", "Gazette World", "world@news.example.org", null, null, null, null, null, null,
                null)).id;
    }

    /**
     * Paris days (fixture readers are confirmed as they are created): 24 Oct, early joins one second before midnight
     * CEST; 25 Oct, ana joins at 00:30 CEST (still the 24th in UTC) and ben (all topics) at 23:59 CET, an hour the
     * day has only because the clocks went back; sam (sport only) joins too and leaves the next day, uncounted;
     * 26 Oct, ana confirms again (twice: one reader), early unsubscribes and joe joins; 27 Oct at midnight CET an
     * editor records that joe asked to leave (a suppression for the reason UNSUBSCRIBED: an unsubscribe), and at 00:30
     * ben's address bounces.
     */
    private void seed() {
        at("2026-10-24T21:59:59Z");
        Subscriber early = fixtures.reader("early@example.org", "UTC", Frequency.DAILY, "world");
        at("2026-10-24T22:30:00Z");
        Subscriber ana = fixtures.reader("ana@example.org", "UTC", Frequency.DAILY, "world");
        at("2026-10-25T12:00:00Z");
        Subscriber sam = fixtures.reader("sam@example.org", "UTC", Frequency.DAILY, "sport");
        at("2026-10-25T22:59:00Z");
        fixtures.reader("ben@example.org", "UTC", Frequency.DAILY);
        at("2026-10-25T23:30:00Z");
        QuarkusTransaction.requiringNew().run(() -> {
            SubscriberEvent.record(ana.id, "CONFIRMED", null, clock.instant());
            SubscriberEvent.record(ana.id, "CONFIRMED", null, clock.instant().plusSeconds(5));
        });
        at("2026-10-26T10:00:00Z");
        subscriptions.unsubscribe(early.id, "test");
        subscriptions.unsubscribe(sam.id, "test");
        at("2026-10-26T12:00:00Z");
        fixtures.reader("joe@example.org", "UTC", Frequency.DAILY, "world");
        at("2026-10-26T23:00:00Z");
        suppressions.suppress("joe@example.org", SuppressionReason.UNSUBSCRIBED, "asked by phone");
        at("2026-10-26T23:30:00Z");
        suppressions.suppress("ben@example.org", SuppressionReason.HARD_BOUNCE, "550 5.1.1");
    }

    private void at(String instant) {
        clock.set(Instant.parse(instant));
    }

    @Test
    void shouldCountReadersPerParisDayAcrossTheEndOfSummerTime() {
        seed();
        JsonPath growth = given().auth().oauth2(token).when().get("/api/v1/newsletters/" + newsletter + "/readers?" + RANGE)
                .then().statusCode(200).extract().jsonPath();
        assertEquals(NewsroomZoneProfile.ZONE, growth.getString("zone"));
        assertEquals("2026-10-24", growth.getString("from"));
        assertEquals("2026-10-27", growth.getString("to"));
        assertEquals(List.of("2026-10-24", "2026-10-25", "2026-10-26", "2026-10-27"), growth.getList("days.day"));
        assertEquals(List.of(1, 2, 1, 0), growth.getList("days.created"));
        assertEquals(List.of(1, 2, 2, 0), growth.getList("days.confirmed"));
        assertEquals(List.of(0, 0, 1, 1), growth.getList("days.unsubscribed"));
        assertEquals(List.of(0, 0, 0, 1), growth.getList("days.suppressed"));
        assertEquals(Map.of("created", 4, "confirmed", 5, "unsubscribed", 2, "suppressed", 1),
                Map.of("created", growth.getInt("total.created"), "confirmed", growth.getInt("total.confirmed"),
                        "unsubscribed", growth.getInt("total.unsubscribed"), "suppressed", growth.getInt("total.suppressed")));

        String csv = given().auth().oauth2(token).when().get("/api/v1/newsletters/" + newsletter + "/readers?format=csv&" + RANGE)
                .then().statusCode(200).contentType("text/csv").extract().asString();
        assertEquals(CSV, csv);
        assertEquals(CSV, given().auth().oauth2(token).accept("text/csv").when()
                .get("/api/v1/newsletters/" + newsletter + "/readers?" + RANGE).then().statusCode(200).extract().asString());
    }

    @Test
    void shouldDefaultToTheLastThirtyParisDays() {
        seed(); // the clock is at 00:30 on 27 October in Paris, still the 26th in UTC
        JsonPath growth = given().auth().oauth2(token).when().get("/api/v1/newsletters/" + newsletter + "/readers")
                .then().statusCode(200).extract().jsonPath();
        assertEquals("2026-09-28", growth.getString("from"));
        assertEquals("2026-10-27", growth.getString("to"));
        assertEquals(30, growth.getList("days").size());
        assertEquals(4, growth.getInt("total.created"));
    }

    @Test
    void shouldRefuseBadRangesNamingTheParameter() {
        String path = "/api/v1/newsletters/" + newsletter + "/readers";
        for (Map.Entry<String, String> bad : Map.of("from=2026-13-01", "from", "to=yesterday", "to",
                "from=2026-10-27&to=2026-10-24", "from", "from=2025-01-01&to=2026-10-27", "from").entrySet()) {
            given().auth().oauth2(token).when().get(path + "?" + bad.getKey())
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("violations[0].field", equalTo(bad.getValue()));
        }
        given().auth().oauth2(token).when().get("/api/v1/newsletters/999999/readers")
                .then().statusCode(404).contentType("application/problem+json");
        given().when().get(path).then().statusCode(401);
    }

    @Test
    void shouldShowTheChartTableAndCsvInTheEditor() {
        seed();
        EditorSession editor = EditorSession.signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD, "/admin/newsletters/" + newsletter);
        Document newsletterPage = Jsoup.parse(editor.page().get("/admin/newsletters/" + newsletter).then().statusCode(200)
                .extract().asString());
        assertEquals("/admin/newsletters/" + newsletter + "/readers",
                newsletterPage.selectFirst("a:containsOwn(Readers over time)").attr("href"));

        String html = editor.page().get("/admin/newsletters/" + newsletter + "/readers?" + RANGE).then().statusCode(200)
                .extract().asString();
        assertEquals(List.of(), new HtmlValidator().errors(html).stream().filter(e -> !e.contains("“hx-")).toList());
        Document page = Jsoup.parse(html);
        List<List<String>> rows = page.select("#growth-table tbody tr").stream()
                .map(r -> r.select("th, td").stream().map(Element::text).toList()).toList();
        assertEquals(List.of(List.of("2026-10-24", "1", "1", "0", "0"), List.of("2026-10-25", "2", "2", "0", "0"),
                List.of("2026-10-26", "1", "2", "1", "0"), List.of("2026-10-27", "0", "0", "1", "1")), rows);
        assertNotNull(page.selectFirst("div.table-scroll > #growth-table"), "in its scrolling box");
        Element chart = page.selectFirst("svg#growth-chart");
        assertEquals("img", chart.attr("role"));
        assertEquals("Readers of World this morning per day", chart.selectFirst("title").text());
        assertTrue(chart.selectFirst("desc").text().startsWith("Readers of World this morning per day, 2026-10-24 to 2026-10-27"
                + " (Europe/Paris): 4 new, 5 confirmed, 2 unsubscribed, 1 suppressed"), chart.selectFirst("desc").text());
        assertEquals(4, chart.select("polyline").size());
        assertEquals(List.of("New, 2026-10-24: 1", "New, 2026-10-25: 2", "New, 2026-10-26: 1", "New, 2026-10-27: 0"),
                chart.select("circle.series-0 title").stream().map(Element::text).toList());

        String href = page.selectFirst("a:containsOwn(Download the readers per day)").attr("href");
        assertEquals("/admin/newsletters/" + newsletter + "/readers/readers.csv?" + RANGE, href);
        assertEquals(CSV, editor.page().get(href).then().statusCode(200).contentType("text/csv").extract().asString());

        Document bad = Jsoup.parse(editor.page().get("/admin/newsletters/" + newsletter + "/readers?from=2026-10-27&to=2026-10-24")
                .then().statusCode(400).extract().asString());
        assertEquals("must not be after to", bad.selectFirst("#from-error").text());
    }
}
