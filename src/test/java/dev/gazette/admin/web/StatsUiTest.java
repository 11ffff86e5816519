package dev.gazette.admin.web;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.gazette.testing.Visitors.CHROME;
import static dev.gazette.testing.Visitors.FIREFOX;
import static dev.gazette.testing.Visitors.MASTODON;
import static dev.gazette.testing.Visitors.SAFARI_IPHONE;
import static dev.gazette.testing.Visitors.subscribeThrough;
import static dev.gazette.testing.Visitors.visit;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import dev.gazette.article.Article;
import dev.gazette.common.Period;
import dev.gazette.link.ClickRecorder;
import dev.gazette.link.TrackedLink;
import dev.gazette.link.web.LinkCache;
import dev.gazette.social.ChannelInput;
import dev.gazette.social.ChannelService;
import dev.gazette.social.Distribution;
import dev.gazette.social.Network;
import dev.gazette.social.SocialPublisher;
import dev.gazette.stats.Funnel;
import dev.gazette.testing.BrowserTest;
import dev.gazette.testing.Fixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The stats page in Chromium: for posts on two channels and readers clicking, previewing and subscribing over two days,
 * the funnel table shows exactly {@link Funnel#perChannel}, the charts draw the same numbers, the clicks per day and
 * top articles add up, and the CSV downloads work with the editor's session.
 */
@QuarkusTest
class StatsUiTest extends BrowserTest {


    @Inject
    SocialPublisher publisher;

    @Inject
    ChannelService channels;

    @Inject
    ClickRecorder recorder;

    @Inject
    LinkCache cache;

    @Inject
    Funnel funnel;

    long a;
    long b;
    Article x;
    Article y;

    @BeforeEach
    void editor() {
        fixtures.editorToken();
        cache.clear();
    }

    long channel(String name, String path) {
        return channels.create(new ChannelInput(Network.MASTODON, name, wireMock.baseUrl() + path, null,
                Map.of("accessToken", "t"), null, null, null, null, null, null, null, null, null)).id;
    }

    String code(long articleId, long channelId) {
        return QuarkusTransaction.requiringNew().call(() -> TrackedLink.<TrackedLink>findById(Distribution.<Distribution>find(
                "articleId = ?1 and channelId = ?2", articleId, channelId).singleResult().linkId).code);
    }

    /**
     * 2026-03-02: x and y posted on A and B; A's post of x previewed once, clicked by three people (one subscribes and
     * confirms), B's post of x clicked once. 2026-03-03 (today): A's and B's posts of y clicked once each.
     */
    void seed() {
        a = channel("Mastodon A", "/a");
        b = channel("Mastodon B", "/b");
        wireMock.stubFor(post(urlPathMatching("/(a|b)/api/v1/statuses")).willReturn(aResponse()
                .withBody("{\"id\":\"1\",\"url\":\"https://social.example/@news/1\"}")));
        x = fixtures.published("Heatwave explained", "Records.");
        y = fixtures.published("Rain returns", "Finally.");
        assertEquals(4, publisher.publishDue());
        String ax = code(x.id, a);
        visit(ax, MASTODON);
        visit(ax, FIREFOX);
        visit(ax, SAFARI_IPHONE);
        subscribeThrough(ax, "first@example.org");
        visit(code(x.id, b), CHROME);
        QuarkusTransaction.requiringNew().run(() -> io.quarkus.hibernate.orm.panache.Panache.getEntityManager()
                .createNativeQuery("update subscriber set status = 'ACTIVE', confirmed_at = now() where email = 'first@example.org'")
                .executeUpdate());
        clock.advance(Duration.ofDays(1));
        visit(code(y.id, a), CHROME);
        visit(code(y.id, b), FIREFOX);
        recorder.flush();
    }

    private List<List<String>> rows(String tableId) {
        List<List<String>> rows = new ArrayList<>();
        for (WebElement tr : browser.findElements(By.cssSelector("#" + tableId + " tbody tr"))) {
            List<String> cells = new ArrayList<>();
            tr.findElements(By.cssSelector("th, td")).forEach(c -> cells.add(c.getText()));
            rows.add(cells);
        }
        return rows;
    }

    private static List<String> cells(Funnel.ChannelFunnel f) {
        Funnel.Counts c = f.counts();
        return List.of(f.channel() + " " + f.network(), "" + c.posts(), "" + c.previews(), "" + c.clicks(), "" + c.uniqueClicks(),
                "" + c.subscribes(), "" + c.confirmations());
    }

    @Test
    void theFunnelTableAndChartsShowTheNumbersOfTheLastSevenDays() {
        seed();
        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        browser.findElement(By.linkText("Stats")).click();
        waitFor(By.id("funnel-table"));
        assertEquals("Stats", browser.findElement(By.tagName("h1")).getText());
        assertEquals("2026-02-25", browser.findElement(By.id("from")).getAttribute("value"));
        assertEquals("2026-03-03", browser.findElement(By.id("to")).getAttribute("value"));
        assertEquals("Funnel per channel, 2026-02-25 to 2026-03-03", browser.findElement(By.id("funnel-heading")).getText());

        List<List<String>> expected = List.of(List.of("Mastodon A MASTODON", "2", "1", "4", "4", "1", "1"),
                List.of("Mastodon B MASTODON", "2", "0", "2", "2", "0", "0"));
        assertEquals(expected, rows("funnel-table"));
        List<Funnel.ChannelFunnel> funnel = QuarkusTransaction.requiringNew().call(() -> this.funnel.perChannel(
                new Period(LocalDate.parse("2026-02-25"), LocalDate.parse("2026-03-03"))));
        assertEquals(funnel.stream().map(StatsUiTest::cells).toList(), rows("funnel-table"), "the table is Funnel.perChannel");

        // the funnel chart: an image with a label, one bar per step and channel, the longest for the largest number
        WebElement chart = browser.findElement(By.id("funnel-chart"));
        assertEquals("img", chart.getAttribute("role"));
        assertTrue(chart.getAttribute("aria-label").startsWith("Funnel per channel, 2026-02-25 to 2026-03-03"),
                chart.getAttribute("aria-label"));
        List<WebElement> bars = chart.findElements(By.tagName("rect"));
        assertEquals(12, bars.size());
        assertEquals("Mastodon A: 4 clicks", bars.get(2).findElement(By.tagName("title")).getAttribute("textContent"));
        assertEquals("350", bars.get(2).getAttribute("width"));
        assertEquals("Mastodon B: 2 clicks", bars.get(8).findElement(By.tagName("title")).getAttribute("textContent"));
        assertEquals("175", bars.get(8).getAttribute("width"));
        assertEquals("0", bars.get(10).getAttribute("width"), "B has no subscribes");

        // clicks per day: a row per day of the range, a line per channel
        List<List<String>> days = rows("daily-table");
        assertEquals(7, days.size());
        assertEquals(List.of("2026-02-25", "0", "0", "0"), days.get(0));
        assertEquals(List.of("2026-03-02", "3", "1", "4"), days.get(5));
        assertEquals(List.of("2026-03-03", "1", "1", "2"), days.get(6));
        assertEquals("Clicks per day: 6 in all", browser.findElement(By.cssSelector("#daily-table caption")).getText());
        WebElement daily = browser.findElement(By.id("daily-chart"));
        assertEquals("img", daily.getAttribute("role"));
        assertEquals(2, daily.findElements(By.tagName("polyline")).size());
        List<String> dots = daily.findElements(By.cssSelector("circle title")).stream().map(t -> t.getAttribute("textContent")).toList();
        assertEquals(14, dots.size());
        assertEquals("Mastodon A, 2026-03-02: 3 clicks", dots.get(5));
        assertEquals("Mastodon B, 2026-03-03: 1 click", dots.get(13));

        // top articles
        assertEquals(List.of(List.of("Heatwave explained", "2", "1", "4", "4", "1", "1"), List.of("Rain returns", "2", "0", "2", "2", "0", "0")),
                rows("top-table"));
        browser.findElement(By.linkText("Heatwave explained")).click();
        waitForText(By.tagName("h1"), "Heatwave explained");
        assertTrue(browser.getCurrentUrl().endsWith("/admin/articles/" + x.id));

        // another range: only 2026-03-03
        open("/admin/stats?from=2026-03-03&to=2026-03-03");
        assertEquals(List.of(List.of("Mastodon A MASTODON", "0", "0", "1", "1", "0", "0"),
                List.of("Mastodon B MASTODON", "0", "0", "1", "1", "0", "0")), rows("funnel-table"));
        assertEquals(List.of(List.of("2026-03-03", "1", "1", "2")), rows("daily-table"));
    }

    @Test
    void csvDownloadsUseTheSessionAndTheSameNumbers() {
        seed();
        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        open("/admin/stats");
        String href = waitFor(By.linkText("Download the funnel per channel (CSV)")).getAttribute("href");
        assertTrue(href.endsWith("/admin/stats/channels.csv?from=2026-02-25&to=2026-03-03"), href);
        String cookie = browser.manage().getCookieNamed("gazette-session").getValue();

        var channelsCsv = given().cookie("gazette-session", cookie).get(URI.create(href).getRawPath() + "?" + URI.create(href).getRawQuery());
        assertEquals(200, channelsCsv.statusCode());
        assertTrue(channelsCsv.contentType().startsWith("text/csv"), channelsCsv.contentType());
        assertEquals("attachment; filename=\"channels-2026-02-25-to-2026-03-03.csv\"", channelsCsv.header("Content-Disposition"));
        assertEquals("channel_id,channel,network,status,posts,previews,clicks,unique_clicks,subscribes,confirmations\n"
                + a + ",Mastodon A,MASTODON,ACTIVE,2,1,4,4,1,1\n" + b + ",Mastodon B,MASTODON,ACTIVE,2,0,2,2,0,0\n",
                channelsCsv.asString());

        String daily = given().cookie("gazette-session", cookie).queryParam("from", "2026-03-02").queryParam("to", "2026-03-03")
                .get("/admin/stats/clicks-per-day.csv").then().statusCode(200).extract().asString();
        assertEquals("day,channel_id,channel,network,previews,clicks,unique_clicks\n"
                + "2026-03-02," + a + ",Mastodon A,MASTODON,1,3,3\n" + "2026-03-02," + b + ",Mastodon B,MASTODON,0,1,1\n"
                + "2026-03-03," + a + ",Mastodon A,MASTODON,0,1,1\n" + "2026-03-03," + b + ",Mastodon B,MASTODON,0,1,1\n", daily);

        String top = given().cookie("gazette-session", cookie).get("/admin/stats/top-articles.csv").then().statusCode(200)
                .extract().asString();
        assertEquals("article_id,slug,title,posts,previews,clicks,unique_clicks,subscribes,confirmations\n"
                + x.id + ",heatwave-explained,Heatwave explained,2,1,4,4,1,1\n" + y.id + ",rain-returns,Rain returns,2,0,2,2,0,0\n", top);

        // without a session: the sign-in page, not the data
        given().redirects().follow(false).get("/admin/stats/channels.csv").then().statusCode(302);
    }

    @Test
    void badDatesAreShownNextToTheirFields() {
        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        open("/admin/stats?from=March&to=2026-03-02");
        assertEquals("must be a date like 2026-03-01", waitFor(By.id("from-error")).getText());
        assertEquals("true", browser.findElement(By.id("from")).getAttribute("aria-invalid"));
        assertEquals("Fix the dates to see the numbers.", browser.findElement(By.cssSelector(".empty")).getText());

        open("/admin/stats?from=2026-03-05&to=2026-03-02");
        assertEquals("must not be after to", waitFor(By.id("from-error")).getText());
        assertEquals("2026-03-05", browser.findElement(By.id("from")).getAttribute("value"), "what was typed is kept");

        open("/admin/stats?from=2024-01-01&to=2026-03-02");
        assertEquals("the range can be at most 366 days", waitFor(By.id("from-error")).getText());

        String cookie = browser.manage().getCookieNamed("gazette-session").getValue();
        given().cookie("gazette-session", cookie).queryParam("from", "March").get("/admin/stats").then().statusCode(400);

        // no channels: empty states
        open("/admin/stats");
        assertEquals("No channels yet: add one, then the posts of each article and what readers did with them appear here.",
                waitFor(By.cssSelector("#funnel-heading + .empty")).getText());
        assertEquals("No article was posted or clicked in this range.", browser.findElement(By.cssSelector("#top-heading + .empty")).getText());
    }
}
