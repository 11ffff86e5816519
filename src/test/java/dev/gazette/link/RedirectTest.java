package dev.gazette.link;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class RedirectTest extends LinkTestBase {

    private static final Utm SOCIAL = Utm.social("mastodon", "heatwave");
    private static final String SOCIAL_UTM = "utm_source=mastodon&utm_medium=social&utm_campaign=heatwave";
    private static final String SITE = "http://localhost:8080";

    private String location(String target, Utm utm) {
        TrackedLink link = campaign(target, utm);
        return visit(link.code, CHROME).then().statusCode(302).extract().header("Location");
    }

    @Test
    void shouldAddUtmToTargetWithoutQuery() {
        assertEquals("https://news.example.org/story?" + SOCIAL_UTM, location("https://news.example.org/story", SOCIAL));
    }

    @Test
    void shouldKeepExistingQueryAndAppendUtm() {
        assertEquals("https://news.example.org/story?page=2&lang=en&" + SOCIAL_UTM,
                location("https://news.example.org/story?page=2&lang=en", SOCIAL));
    }

    @Test
    void shouldKeepFragmentAfterTheQuery() {
        assertEquals("https://news.example.org/story?page=2&" + SOCIAL_UTM + "#comments",
                location("https://news.example.org/story?page=2#comments", SOCIAL));
        assertEquals("https://news.example.org/other?" + SOCIAL_UTM + "#top",
                location("https://news.example.org/other#top", SOCIAL));
    }

    @Test
    void shouldNeverOverrideAnExistingUtmParameter() {
        assertEquals("https://news.example.org/story?utm_source=newsletter&UTM_MEDIUM=email&utm_campaign=heatwave",
                location("https://news.example.org/story?utm_source=newsletter&UTM_MEDIUM=email", SOCIAL));
    }

    @Test
    void shouldPercentEncodeSpacesReservedCharactersAndUnicode() {
        assertEquals("https://news.example.org/caf%C3%A9?q=a%20b&utm_source=flyer&utm_medium=print"
                + "&utm_campaign=Spring%20sale%202026&utm_content=%C3%89t%C3%A9%20%E2%80%93%20%C3%BCn%C3%AFcode"
                + "&utm_term=a%26b%3Dc%2Bd%23e",
                location("https://news.example.org/café?q=a%20b",
                        new Utm("flyer", "print", "Spring sale 2026", "Été – ünïcode", "a&b=c+d#e")));
    }

    @Test
    void shouldLeaveTargetAloneWithoutUtm() {
        assertEquals("https://news.example.org/story?x=1#y", location("https://news.example.org/story?x=1#y", Utm.NONE));
    }

    @Test
    void shouldAddRefOnlyForTargetsOnThisSite() {
        TrackedLink onSite = campaign(SITE + "/articles/heatwave", SOCIAL);
        visit(onSite.code, CHROME).then().statusCode(302)
                .header("Location", equalTo(SITE + "/articles/heatwave?" + SOCIAL_UTM + "&ref=" + onSite.code));
        TrackedLink replaced = campaign(SITE + "/articles/heatwave?ref=someone-else#top", Utm.NONE);
        visit(replaced.code, CHROME).then()
                .header("Location", equalTo(SITE + "/articles/heatwave?ref=" + replaced.code + "#top"));

        for (String offSite : new String[] { "https://news.example.org/articles/heatwave", "http://localhost:8081/articles/x",
                "https://localhost:8080/articles/x", "http://localhost.example.org:8080/articles/x" }) {
            TrackedLink link = campaign(offSite, SOCIAL);
            visit(link.code, CHROME).then().statusCode(302)
                    .header("Location", equalTo(offSite + "?" + SOCIAL_UTM));
        }
    }

    @Test
    void shouldCarryRefAndUtmIntoTheArticlesSubscribeForm() {
        fixtures.published("Heatwave", "Records broke.");
        TrackedLink link = campaign(SITE + "/articles/heatwave", SOCIAL);
        String location = visit(link.code, CHROME).then().statusCode(302).extract().header("Location");

        URI landing = URI.create(location);
        Document page = Jsoup.parse(given().when().get(landing.getRawPath() + "?" + landing.getRawQuery())
                .then().statusCode(200).extract().asString());
        assertEquals(link.code, page.selectFirst("form[action$=/subscribe] input[type=hidden][name=ref]").attr("value"));
        assertEquals("mastodon", page.selectFirst("form[action$=/subscribe] input[name=utm_source]").attr("value"));
        assertEquals("heatwave", page.selectFirst("form[action$=/subscribe] input[name=utm_campaign]").attr("value"));
    }

    @Test
    void shouldTellCachesAndSearchEnginesToKeepOut() {
        TrackedLink link = campaign("https://news.example.org/story", SOCIAL);
        visit(link.code, CHROME).then().statusCode(302)
                .header("X-Robots-Tag", "noindex")
                .header("Cache-Control", "private, no-store");
    }

    @Test
    void shouldAnswerUnknownCodeWith404PageAndNoRedirect() {
        campaign("https://news.example.org/story", SOCIAL);
        given().redirects().follow(false).header("User-Agent", CHROME).accept("text/html")
                .when().get("/r/AAAAAAAAAA")
                .then().statusCode(404)
                .contentType(startsWith("text/html"))
                .header("Location", nullValue())
                .header("X-Robots-Tag", "noindex")
                .body(containsString("Link not found"));
        // Asked again (now from the negative cache): the same.
        visit("AAAAAAAAAA", CHROME).then().statusCode(404).header("Location", nullValue());
        // HEAD gets the status without a body, and the connection stays usable.
        given().redirects().follow(false).when().head("/r/AAAAAAAAAA")
                .then().statusCode(404).header("Location", nullValue()).body(equalTo(""));
        visit("AAAAAAAAAA", CHROME).then().statusCode(404).body(containsString("Link not found"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "short", "ABCDEFGHIJK", "abc-def_gh", "ABCDEFGHI%21", "https%3A%2F%2Fevil.example",
            "%2F%2Fevil.example", "..%2F..%2Fadmin", "%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9" })
    void shouldAnswerMalformedCodeWith404AndNoRedirect(String code) {
        given().redirects().follow(false).urlEncodingEnabled(false).header("User-Agent", CHROME)
                .when().get("/r/" + code)
                .then().statusCode(404)
                .header("Location", nullValue());
    }

    @Test
    void shouldNeverRedirectToAUrlFromTheRequest() {
        TrackedLink link = campaign("https://news.example.org/story", Utm.NONE);
        given().redirects().follow(false).header("User-Agent", CHROME).header("Host", "evil.example")
                .header("X-Forwarded-Host", "evil.example").queryParam("url", "https://evil.example/")
                .queryParam("target", "https://evil.example/")
                .when().get("/r/" + link.code)
                .then().statusCode(302).header("Location", equalTo("https://news.example.org/story"));
    }

    @Test
    void shouldRedirectHeadWithoutCounting() {
        TrackedLink link = campaign("https://news.example.org/story", SOCIAL);
        given().redirects().follow(false).header("User-Agent", CHROME)
                .when().head("/r/" + link.code)
                .then().statusCode(302)
                .header("Location", equalTo("https://news.example.org/story?" + SOCIAL_UTM));
        assertEquals(0, recorder.queued());
        assertEquals(LinkCounts.ZERO, flushedCounts(link));
    }

    @Test
    void shouldCountOneClickPerVisitorAndHour() {
        TrackedLink link = campaign("https://news.example.org/story", SOCIAL);
        visit(link.code, CHROME).then().statusCode(302);
        visit(link.code, CHROME).then().statusCode(302);
        clock.advance(Duration.ofMinutes(59));
        visit(link.code, CHROME).then().statusCode(302);
        assertEquals(new LinkCounts(0, 1, 1, 0, 0), flushedCounts(link));

        clock.advance(Duration.ofMinutes(1));
        visit(link.code, CHROME).then().statusCode(302);
        assertEquals(new LinkCounts(0, 2, 1, 0, 0), flushedCounts(link), "a new hour counts again; still one visitor today");
    }

    @Test
    void shouldCountDifferentVisitorsSeparately() {
        TrackedLink link = campaign("https://news.example.org/story", SOCIAL);
        visit(link.code, CHROME).then().statusCode(302);
        visit(link.code, FIREFOX).then().statusCode(302);
        visit(link.code, SAFARI_IPHONE).then().statusCode(302);
        visit(link.code, FIREFOX).then().statusCode(302);
        assertEquals(new LinkCounts(0, 3, 3, 0, 0), flushedCounts(link));
    }

    @Test
    void shouldCountTheSameVisitorAgainOnAnotherDay() {
        TrackedLink link = campaign("https://news.example.org/story", SOCIAL);
        visit(link.code, CHROME).then().statusCode(302);
        clock.advance(Duration.ofDays(1));
        visit(link.code, CHROME).then().statusCode(302);
        assertEquals(new LinkCounts(0, 2, 2, 0, 0), flushedCounts(link), "the visitor hash changes every day by design");
    }

    @Test
    void shouldIgnoreForwardedForWithoutProxyConfiguration() {
        TrackedLink link = campaign("https://news.example.org/story", SOCIAL);
        for (String ip : new String[] { "203.0.113.7", "198.51.100.23", "192.0.2.99" }) {
            given().redirects().follow(false).header("User-Agent", CHROME).header("X-Forwarded-For", ip)
                    .header("Forwarded", "for=" + ip)
                    .when().get("/r/" + link.code).then().statusCode(302);
        }
        assertEquals(new LinkCounts(0, 1, 1, 0, 0), flushedCounts(link), "a client cannot make itself many visitors");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http.rb/5.1.1 (Mastodon/4.2.10; +https://mastodon.social/)",
            "http.rb/4.4.1 (Mastodon/3.5.3; +https://fosstodon.org/)",
            "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
            "Facebot",
            "Twitterbot/1.0",
            "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
            "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
            "Slackbot 1.0 (+https://api.slack.com/robots)",
            "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
            "TelegramBot (like TwitterBot)",
            "Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)",
            "WhatsApp/2.23.20.0 A",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) "
                    + "Chrome/116.0.1938.76 Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 "
                    + "Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)",
            "DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)",
            "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
            "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
            "Mozilla/5.0 (compatible; SomeBot/1.0)",
            "ExampleCrawler/2.1",
            "my-spider 0.1",
            "Mozilla/5.0 (compatible; LinkPreview/1.0)",
            "FeedFetcher-Google; (+http://www.google.com/feedfetcher.html)",
            "curl/8.5.0",
            "Wget/1.21.4",
            "python-requests/2.31.0",
            "Go-http-client/1.1",
            "" })
    void shouldRedirectBotsButCountThemAsPreviews(String userAgent) {
        TrackedLink link = campaign("https://news.example.org/story", SOCIAL);
        visit(link.code, userAgent).then().statusCode(302)
                .header("Location", equalTo("https://news.example.org/story?" + SOCIAL_UTM));
        visit(link.code, userAgent).then().statusCode(302);
        assertEquals(new LinkCounts(2, 0, 0, 0, 0), flushedCounts(link), userAgent);
    }

    @ParameterizedTest
    @ValueSource(strings = { CHROME, FIREFOX, SAFARI_IPHONE,
            "Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 "
                    + "Safari/537.36 Edg/124.0.0.0" })
    void shouldCountPeopleAsClicks(String userAgent) {
        TrackedLink link = campaign("https://news.example.org/story", SOCIAL);
        visit(link.code, userAgent).then().statusCode(302);
        assertEquals(new LinkCounts(0, 1, 1, 0, 0), flushedCounts(link), userAgent);
    }
}
