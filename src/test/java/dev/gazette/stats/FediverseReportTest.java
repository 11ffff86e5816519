package dev.gazette.stats;

import static dev.gazette.fediverse.FediverseRows.delivery;
import static dev.gazette.fediverse.FediverseRows.follower;
import static dev.gazette.fediverse.FediverseRows.reply;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.article.Article;
import dev.gazette.fediverse.FediverseProfile;
import dev.gazette.testing.EditorSession;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.GazetteTest;
import dev.gazette.testing.HtmlValidator;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The fediverse channel's numbers over a range of UTC days, from the API and on the editor's stats page: followers
 * who followed on two days, deliveries delivered and failed on others, replies, rows outside the range left out.
 */
@QuarkusTest
@TestProfile(FediverseProfile.class)
class FediverseReportTest extends GazetteTest {

    private static final String RANGE = "from=2026-02-27&to=2026-03-02";
    private static final String CSV = """
            day,new_followers,delivered,failed,replies
            2026-02-27,0,0,0,0
            2026-02-28,2,1,0,0
            2026-03-01,1,1,1,1
            2026-03-02,0,1,0,1
            """;

    private String token;

    @BeforeEach
    void seed() {
        token = fixtures.editorToken();
        follower("old.example", "dave", Instant.parse("2026-02-20T12:00:00Z"));
        follower("mastodon.social", "alice", Instant.parse("2026-02-28T10:00:00Z"));
        follower("mastodon.social", "bob", Instant.parse("2026-02-28T23:30:00Z"));
        follower("pixel.example", "carol", Instant.parse("2026-03-01T00:10:00Z"));

        clock.set(Instant.parse("2026-02-26T08:00:00Z"));
        Article rivers = fixtures.published("Rivers in spring", "Water.");
        clock.set(Instant.parse("2026-03-02T07:00:00Z"));
        Article snow = fixtures.published("Snow in winter", "Cold.");
        clock.set(Instant.parse("2026-03-02T09:00:00Z"));
        Instant planned = Instant.parse("2026-02-26T08:00:00Z");
        delivery(rivers.id, "old.example", "DELIVERED", 1, planned, Instant.parse("2026-02-26T08:00:10Z"), null);
        delivery(rivers.id, "mastodon.social", "DELIVERED", 1, planned, Instant.parse("2026-02-28T11:00:00Z"), null);
        delivery(rivers.id, "pixel.example", "DELIVERED", 2, planned, Instant.parse("2026-03-01T08:00:00Z"), null);
        delivery(rivers.id, "gone.example", "FAILED", 1, planned, Instant.parse("2026-03-01T09:00:00Z"), "HTTP 410");
        delivery(rivers.id, "slow.example", "RETRY", 3, planned, Instant.parse("2026-03-02T10:00:00Z"), "HTTP 503");
        // not a failure: nobody there followed any more, so nothing was sent
        delivery(rivers.id, "left.example", "CANCELLED", 0, planned, Instant.parse("2026-03-01T10:00:00Z"),
                "no follower reads this inbox any more");
        delivery(snow.id, "mastodon.social", "DELIVERED", 1, Instant.parse("2026-03-02T07:00:00Z"),
                Instant.parse("2026-03-02T07:00:05Z"), null);
        reply(rivers.id, "erin", "REJECTED", Instant.parse("2026-02-26T09:00:00Z"));
        reply(rivers.id, "alice", "PENDING", Instant.parse("2026-03-01T12:00:00Z"));
        reply(snow.id, "bob", "APPROVED", Instant.parse("2026-03-02T08:30:00Z"));
        QuarkusTransaction.requiringNew().run(() -> Panache.getEntityManager().createNativeQuery(
                "insert into fediverse_reaction (article_id, likes, announces) values (:a, 5, 2), (:b, 1, 0)")
                .setParameter("a", rivers.id).setParameter("b", snow.id).executeUpdate());
    }

    @Test
    void shouldCountFollowersAndDeliveriesPerDay() {
        JsonPath report = given().auth().oauth2(token).when().get("/api/v1/stats/fediverse?" + RANGE)
                .then().statusCode(200).contentType("application/json").extract().jsonPath();

        assertEquals(true, report.getBoolean("enabled"));
        assertEquals("2026-02-27", report.getString("from"));
        assertEquals("2026-03-02", report.getString("to"));
        assertEquals(4, report.getInt("currentFollowers"));
        assertEquals(List.of("2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"), report.getList("days.day"));
        assertEquals(List.of(0, 2, 1, 0), report.getList("days.newFollowers"));
        assertEquals(List.of(0, 1, 1, 1), report.getList("days.delivered"));
        assertEquals(List.of(0, 0, 1, 0), report.getList("days.failed"));
        assertEquals(List.of(0, 0, 1, 1), report.getList("days.replies"));
        assertEquals(Map.of("newFollowers", 3, "delivered", 3, "failed", 1, "replies", 2, "articlesDelivered", 2),
                report.getMap("total"));
        assertEquals(6, report.getInt("likes"));
        assertEquals(2, report.getInt("boosts"));

        assertEquals(CSV, given().auth().oauth2(token).when().get("/api/v1/stats/fediverse?format=csv&" + RANGE)
                .then().statusCode(200).contentType(org.hamcrest.Matchers.startsWith("text/csv")).extract().asString());
    }

    @Test
    void shouldDefaultToTheLastThirtyUtcDays() {
        JsonPath report = given().auth().oauth2(token).when().get("/api/v1/stats/fediverse")
                .then().statusCode(200).extract().jsonPath();
        assertEquals("2026-02-01", report.getString("from"));
        assertEquals("2026-03-02", report.getString("to"));
        assertEquals(30, report.getList("days").size());
        assertEquals(4, report.getInt("total.newFollowers"), "dave on Feb 20 is in this range");
        assertEquals(4, report.getInt("total.delivered"));
        assertEquals(3, report.getInt("total.replies"));
    }

    @Test
    void shouldRefuseBadRangesNamingTheParameter() {
        for (var bad : Map.of("from=2026-13-01", "from", "to=yesterday", "to", "from=2026-03-02&to=2026-03-01", "from",
                "from=2025-01-01&to=2026-03-01", "from", "from=0001-01-01", "from", "to=%2B12345-01-01", "to").entrySet()) {
            given().auth().oauth2(token).when().get("/api/v1/stats/fediverse?" + bad.getKey())
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("violations[0].field", equalTo(bad.getValue()));
        }
        given().when().get("/api/v1/stats/fediverse").then().statusCode(401);
        given().accept("application/json").when().get("/q/openapi").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/stats/fediverse"));
    }

    @Test
    void shouldShowTheSameNumbersOnTheStatsPage() {
        EditorSession editor = EditorSession.signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD, "/admin/stats");
        String html = editor.page().get("/admin/stats?" + RANGE).then().statusCode(200).extract().asString();
        assertEquals(List.of(), new HtmlValidator().errors(html).stream().filter(e -> !e.contains("“hx-")).toList(),
                "valid HTML5");
        Document page = Jsoup.parse(html);

        Element funnel = page.getElementById("funnel-fediverse");
        assertEquals(List.of("2", "—", "—", "—", "—", "—"), funnel.select("td").eachText(), "posts: articles delivered");
        assertEquals("/admin/fediverse", funnel.selectFirst("a").attr("href"));

        String summary = page.getElementById("fediverse-summary").text();
        assertTrue(summary.startsWith("4 followers now, 3 new in this range; 2 articles delivered, 2 replies received."),
                summary);
        assertTrue(summary.contains("6 likes and 2 boosts"), summary);
        List<Element> days = page.select("#fediverse-table tbody tr");
        assertEquals(4, days.size());
        assertEquals("2026-03-01", days.get(2).selectFirst("th").text());
        assertEquals(List.of("1", "1", "1", "1"), days.get(2).select("td").eachText());
        assertEquals(List.of("3", "3", "1", "2"), page.select("#fediverse-table tfoot td").eachText());
    }
}
