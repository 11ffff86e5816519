package dev.gazette.admin.web;

import static dev.gazette.fediverse.FediverseRows.delivery;
import static dev.gazette.fediverse.FediverseRows.follower;
import static dev.gazette.fediverse.FediverseRows.reply;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

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
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The fediverse account in the editor with federation on: its row among the channels with the number of followers,
 * and its page with the followers paged and filtered by server, the deliveries by outcome, the servers being retried
 * and each recent article's progress.
 */
@QuarkusTest
@TestProfile(FediverseProfile.class)
class FediversePagesTest extends GazetteTest {

    private static final HtmlValidator HTML = new HtmlValidator();

    private EditorSession editor;

    @BeforeEach
    void signIn() {
        fixtures.editorToken();
        editor = EditorSession.signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD, "/admin/channels");
    }

    private Document get(String path, int status) {
        String page = editor.page().get(path).then().statusCode(status).extract().asString();
        assertEquals(List.of(), HTML.errors(page).stream().filter(e -> !e.contains("“hx-")).toList(), "valid HTML5");
        return Jsoup.parse(page);
    }

    @Test
    void shouldListTheAccountAmongTheChannelsWithItsFollowers() {
        Instant day = clock.instant().minus(Duration.ofDays(2));
        follower("mastodon.social", "alice", day);
        follower("mastodon.social", "bob", day.plusSeconds(60));
        follower("pixelfed.example", "carol", day.plusSeconds(120));

        Document page = get("/admin/channels", 200);

        Element row = page.getElementById("fediverse-channel");
        assertEquals("/admin/fediverse", row.selectFirst("a").attr("href"));
        List<String> cells = row.select("td").eachText();
        assertEquals("Fediverse 3 followers", cells.get(0));
        assertEquals("ActivityPub", cells.get(1));
        assertEquals("Active", cells.get(2));
        assertEquals("@news@news.example.org", cells.get(3));
        assertNull(page.getElementById("fediverse-off"));
    }

    @Test
    void shouldShowTheAccountAndPageItsFollowersFiftyAtATime() {
        Instant first = clock.instant().minus(Duration.ofDays(10));
        for (int i = 0; i < 60; i++) {
            follower("mastodon.social", "user" + i, first.plus(Duration.ofMinutes(i)));
        }
        for (int i = 0; i < 3; i++) {
            follower("pixel.example", "photo" + i, first.plus(Duration.ofHours(5 + i)));
        }

        Article article = fixtures.published("Rivers in spring", "Water.");
        reply(article.id, "alice", "PENDING", first);
        reply(article.id, "bob", "PENDING", first.plusSeconds(1));
        reply(article.id, "carol", "APPROVED", first.plusSeconds(2));

        Document page = get("/admin/fediverse", 200);
        assertEquals("Replies (2 waiting for moderation)", page.getElementById("replies-link").text());
        assertEquals("channels", page.selectFirst("nav a[aria-current=page]").text().toLowerCase());
        assertEquals("@news@news.example.org", page.getElementById("handle").text());
        assertEquals("63", page.getElementById("follower-count").text());
        assertTrue(page.getElementById("account").text().contains("https://news.example.org/ap/actor"));
        assertTrue(page.text().contains("search for @news@news.example.org in Mastodon"));
        List<String> links = page.select("nav[aria-label=Fediverse pages] a").eachAttr("href");
        assertEquals(List.of("/admin/fediverse/replies"), links, "blocks and key are for administrators");

        List<Element> rows = page.select("#followers-table tbody tr");
        assertEquals(50, rows.size());
        // newest first: the three on pixel.example followed last
        Element newest = rows.get(0).selectFirst("a");
        assertEquals("https://pixel.example/users/photo2", newest.attr("href"));
        assertEquals("nofollow noopener", newest.attr("rel"));
        assertEquals("pixel.example", rows.get(0).select("td").get(1).text());
        assertEquals("https://mastodon.social/users/user59", rows.get(3).selectFirst("a").attr("href"));
        assertNull(page.getElementById("previous-page"));
        String next = page.getElementById("next-page").attr("href");
        assertEquals("/admin/fediverse?page=2#followers", next);

        Document second = get(next.substring(0, next.indexOf('#')), 200);
        List<String> rest = second.select("#followers-table tbody tr a").eachAttr("href");
        assertEquals(13, rest.size());
        assertEquals("https://mastodon.social/users/user0", rest.get(12));
        assertNull(second.getElementById("next-page"));
        assertEquals("/admin/fediverse?page=1#followers", second.getElementById("previous-page").attr("href"));
    }

    @Test
    void shouldFilterFollowersByServer() {
        Instant at = clock.instant().minus(Duration.ofDays(1));
        follower("mastodon.social", "alice", at);
        follower("pixel.example", "carol", at);
        follower("pixel.example", "dan", at.plusSeconds(1));

        Document page = get("/admin/fediverse?host=PIXEL", 200);
        assertEquals("PIXEL", page.getElementById("host").val());
        assertEquals(List.of("https://pixel.example/users/dan", "https://pixel.example/users/carol"),
                page.select("#followers-table tbody tr a").eachAttr("href"));
        assertTrue(page.getElementById("follower-matches").text().startsWith("2 followers on servers matching"));
        assertEquals("3", page.getElementById("follower-count").text(), "the account's total does not change");

        // a LIKE wildcard is a plain character in the filter
        Document none = get("/admin/fediverse?host=%25", 200);
        assertTrue(none.select("#followers-table").isEmpty());
        assertTrue(none.getElementById("follower-matches").text().startsWith("0 followers"));
    }

    @Test
    void shouldAnswerABadPageOrFilterWithTheFirstPageAndTheReason() {
        follower("mastodon.social", "alice", clock.instant());

        Document page = get("/admin/fediverse?page=zero", 400);
        assertTrue(page.getElementById("page-error").text().contains("must be a whole number from 1"));
        assertEquals(1, page.select("#followers-table tbody tr").size());

        Document longFilter = get("/admin/fediverse?host=" + "a".repeat(300), 400);
        assertEquals("must be at most 255 characters", longFilter.getElementById("host-error").text());
        assertEquals(1, longFilter.select("#followers-table tbody tr").size());
    }

    @Test
    void shouldCountDeliveriesAndShowFailingServersAndEachArticlesProgress() {
        Article older = fixtures.published("Rivers in spring", "Water.");
        clock.advance(Duration.ofHours(1));
        Article newer = fixtures.published("Snow in winter", "Cold.");
        Instant now = clock.instant();
        delivery(older.id, "mastodon.social", "DELIVERED", 1, now.minus(Duration.ofHours(1)), now.minus(Duration.ofMinutes(59)), null);
        delivery(older.id, "pixel.example", "FAILED", 1, now.minus(Duration.ofHours(1)), now.minus(Duration.ofMinutes(50)),
                "HTTP 410");
        delivery(newer.id, "mastodon.social", "DELIVERED", 1, now, now, null);
        delivery(newer.id, "pixel.example", "PENDING", 0, now, now, null);
        delivery(newer.id, "slow.example", "RETRY", 3, now, now.plus(Duration.ofMinutes(4)), "HTTP 503");
        delivery(older.id, "slow.example", "RETRY", 4, now.minus(Duration.ofHours(1)), now.plus(Duration.ofMinutes(8)),
                "connection refused");
        // planned more than 30 days ago: not in the counts
        delivery(older.id, "old.example", "DELIVERED", 1, now.minus(Duration.ofDays(31)), now.minus(Duration.ofDays(31)), null);

        Document page = get("/admin/fediverse", 200);

        assertEquals("2 delivered", page.getElementById("delivered-count").text());
        assertEquals("3 waiting or retrying", page.getElementById("waiting-count").text());
        assertEquals("1 failed", page.getElementById("failed-count").text());

        List<Element> failing = page.select("#failing-table tbody tr");
        assertEquals(1, failing.size(), "pixel.example's pending row is not a failure, mastodon.social has none waiting");
        assertEquals("slow.example", failing.get(0).selectFirst("th").text());
        List<String> cells = failing.get(0).select("td").eachText();
        assertEquals("2", cells.get(0));
        assertEquals("4", cells.get(1));
        assertEquals("connection refused", cells.get(2));
        assertEquals(now.plus(Duration.ofMinutes(4)).toString(),
                failing.get(0).select("td").get(3).selectFirst("time").attr("datetime"));

        List<Element> articles = page.select("#articles-table tbody tr");
        assertEquals(List.of("Snow in winter", "Rivers in spring"), articles.stream().map(r -> r.selectFirst("th").text()).toList());
        assertEquals("1 / 3", articles.get(0).select("td").get(1).text());
        assertEquals("33", articles.get(0).selectFirst("progress").attr("value"));
        assertEquals("2 / 4", articles.get(1).select("td").get(1).text());
        assertEquals("50", articles.get(1).selectFirst("progress").attr("value"));
    }

    @Test
    void shouldShowTheProgressOfTheLatestCreateOfAnArticlePublishedAgain() {
        Article rivers = fixtures.published("Rivers in spring", "Water.");
        Instant now = clock.instant();
        delivery(rivers.id, 1, "mastodon.social", "DELIVERED", 1, now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(2)), null);
        delivery(rivers.id, 1, "pixel.example", "DELIVERED", 1, now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(2)), null);
        delivery(rivers.id, 2, "mastodon.social", "DELIVERED", 1, now, now, null);
        delivery(rivers.id, 2, "pixel.example", "PENDING", 0, now, now, null);

        Element row = get("/admin/fediverse", 200).selectFirst("#articles-table tbody tr");
        assertEquals("1 / 2", row.select("td").get(1).text());
        assertEquals("50", row.selectFirst("progress").attr("value"));
    }

    @Test
    void shouldSayWhenNoServerFailsAndNoArticleWasDelivered() {
        fixtures.published("Before anyone followed", "Text.");
        Document page = get("/admin/fediverse", 200);
        assertEquals("0 delivered", page.getElementById("delivered-count").text());
        assertTrue(page.getElementById("no-failing").text().contains("No server is being retried"));
        Element row = page.selectFirst("#articles-table tbody tr");
        assertEquals("—", row.select("td").get(1).text());
        assertTrue(row.text().contains("no follower to deliver to"));
        assertTrue(page.text().contains("No follower yet"));
        assertEquals("Replies", page.getElementById("replies-link").text());
    }

    @Test
    void shouldNeedASignIn() {
        given().redirects().follow(false).get("/admin/fediverse").then().statusCode(302)
                .header("Location", endsWith("/admin/login"));
    }
}
