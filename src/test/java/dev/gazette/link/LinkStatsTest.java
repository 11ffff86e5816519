package dev.gazette.link;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;


import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
class LinkStatsTest extends LinkTestBase {

    private static final String STATS = "/api/v1/stats";
    private static final String ARTICLE = "http://localhost:8080/articles/heatwave";
    private static final String FORMULA = "=HYPERLINK(\"https://evil.example\",\"Click\")";

    private String token;
    private long articleId;
    private TrackedLink mastodon;
    private TrackedLink bluesky;
    private TrackedLink flyer;
    private TrackedLink elsewhere;

    @BeforeEach
    void clicksOverTwoDays() {
        token = fixtures.editorToken();
        articleId = fixtures.published("Heatwave", "Records broke.").id;
        mastodon = links.create(ARTICLE, LinkContextType.DISTRIBUTION, 1L, Utm.social("mastodon", "heatwave"));
        bluesky = links.create(ARTICLE + "?view=full#top", LinkContextType.DISTRIBUTION, 2L, Utm.social("bluesky", "heatwave"));
        flyer = links.create(ARTICLE, LinkContextType.CAMPAIGN, null, FORMULA, Utm.NONE);
        elsewhere = links.create("https://news.example.org/articles/heatwave", LinkContextType.CAMPAIGN, null, "Partner",
                Utm.NONE);
        links.create(ARTICLE + "-two", LinkContextType.CAMPAIGN, null, "Another article", Utm.NONE);

        // 2 March: mastodon 3 clicks (2 people) + 2 previews, bluesky 1 click, flyer 1 preview, elsewhere 1 click
        visit(mastodon.code, CHROME);
        visit(mastodon.code, FIREFOX);
        visit(mastodon.code, "http.rb/5.1.1 (Mastodon/4.2.10; +https://mastodon.social/)");
        visit(mastodon.code, "http.rb/5.1.1 (Mastodon/4.2.10; +https://fosstodon.org/)");
        visit(bluesky.code, CHROME);
        visit(flyer.code, "curl/8.5.0");
        visit(elsewhere.code, SAFARI_IPHONE);
        clock.advance(Duration.ofHours(2));
        visit(mastodon.code, CHROME);
        recorder.flush();
        // 3 March: mastodon 1 click, flyer 2 clicks
        clock.advance(Duration.ofDays(1));
        visit(mastodon.code, CHROME);
        visit(flyer.code, CHROME);
        visit(flyer.code, SAFARI_IPHONE);
        recorder.flush();
    }

    private RequestSpecification api() {
        return given().auth().oauth2(token);
    }

    @Test
    void shouldReportCountsPerLink() {
        api().when().get(STATS + "/links").then().statusCode(200)
                .body("items", hasSize(5))
                .body("items.code", contains(
                        links.list(new TrackedLinkService.Filter(null, null), null, 5).items().stream().map(l -> l.code).toArray()))
                .body("items.find { it.id == " + mastodon.id + " }.clicks", equalTo(4))
                .body("items.find { it.id == " + mastodon.id + " }.uniqueClicks", equalTo(3))
                .body("items.find { it.id == " + mastodon.id + " }.previews", equalTo(2))
                .body("items.find { it.id == " + flyer.id + " }.clicks", equalTo(2))
                .body("items.find { it.id == " + flyer.id + " }.previews", equalTo(1))
                .body("items.find { it.id == " + flyer.id + " }.url", equalTo("http://localhost:8080/r/" + flyer.code));
        api().queryParam("contextType", "DISTRIBUTION").queryParam("contextId", 2)
                .when().get(STATS + "/links").then().statusCode(200)
                .body("items.id", contains(bluesky.id.intValue())).body("items[0].clicks", equalTo(1));
    }

    @Test
    void shouldLimitReportsToTheDateRange() {
        api().queryParam("from", "2026-03-03").when().get(STATS + "/links").then().statusCode(200)
                .body("items.find { it.id == " + mastodon.id + " }.clicks", equalTo(1))
                .body("items.find { it.id == " + mastodon.id + " }.previews", equalTo(0))
                .body("items.find { it.id == " + flyer.id + " }.clicks", equalTo(2));
        api().queryParam("from", "2026-03-02").queryParam("to", "2026-03-02").when().get(STATS + "/links").then()
                .body("items.find { it.id == " + mastodon.id + " }.clicks", equalTo(3))
                .body("items.find { it.id == " + flyer.id + " }.clicks", equalTo(0));
        api().queryParam("to", "2026-03-01").when().get(STATS + "/links").then()
                .body("items.clicks.sum()", equalTo(0));
    }

    @Test
    void shouldAddUpPerArticle() {
        api().when().get(STATS + "/articles/" + articleId + "/links").then().statusCode(200)
                .body("slug", equalTo("heatwave"))
                .body("url", equalTo(ARTICLE))
                .body("links.id", contains(flyer.id.intValue(), bluesky.id.intValue(), mastodon.id.intValue()))
                .body("total.previews", equalTo(3))
                .body("total.clicks", equalTo(7))
                .body("total.uniqueClicks", equalTo(6))
                .body("links.clicks.sum()", equalTo(7));
        api().queryParam("from", "2026-03-03").when().get(STATS + "/articles/" + articleId + "/links").then()
                .body("total.clicks", equalTo(3)).body("total.previews", equalTo(0));
    }

    @Test
    void shouldExportCsvWithFormulasNeutralised() throws Exception {
        String csv = api().accept("text/csv").when().get(STATS + "/articles/" + articleId + "/links")
                .then().statusCode(200)
                .contentType(startsWith("text/csv"))
                .header("Content-Disposition", containsString("attachment"))
                .extract().asString();
        List<Map<String, String>> rows = parse(csv);
        assertEquals(List.of("id", "code", "url", "target", "context_type", "context_id", "label", "previews", "clicks",
                "unique_clicks", "subscribes", "confirmations"), List.of(csv.substring(0, csv.indexOf('\n')).trim().split(",")));
        assertEquals(3, rows.size());
        Map<String, String> flyerRow = rows.get(0);
        assertEquals("'" + FORMULA, flyerRow.get("label"), "a spreadsheet shows it as text");
        assertEquals("2", flyerRow.get("clicks"));
        assertEquals("1", flyerRow.get("previews"));
        assertEquals("CAMPAIGN", flyerRow.get("context_type"));
        assertEquals("", flyerRow.get("context_id"));
        assertEquals(7, rows.stream().mapToInt(r -> Integer.parseInt(r.get("clicks"))).sum());

        String viaParameter = api().queryParam("format", "csv").when().get(STATS + "/links")
                .then().statusCode(200).contentType(startsWith("text/csv")).extract().asString();
        assertEquals(5, parse(viaParameter).size());
        api().queryParam("format", "csv").queryParam("from", "2026-01-01").queryParam("to", "2026-01-31")
                .when().get(STATS + "/links/top").then().statusCode(200)
                .body(equalTo("id,code,url,target,context_type,context_id,label,previews,clicks,unique_clicks,subscribes,confirmations\n"));
    }

    @Test
    void shouldListTopLinksOfAPeriod() {
        api().queryParam("limit", 2).when().get(STATS + "/links/top").then().statusCode(200)
                .body("id", contains(mastodon.id.intValue(), flyer.id.intValue()))
                .body("clicks", contains(4, 2));
        // Ties (elsewhere and bluesky: one click each) go to the newer link.
        api().queryParam("from", "2026-03-02").queryParam("to", "2026-03-02").when().get(STATS + "/links/top").then()
                .body("id", contains(mastodon.id.intValue(), elsewhere.id.intValue(), bluesky.id.intValue(), flyer.id.intValue()));
        api().queryParam("contextType", "CAMPAIGN").when().get(STATS + "/links/top").then()
                .body("id", contains(flyer.id.intValue(), elsewhere.id.intValue()));
    }

    @Test
    void shouldAnswerProblemsForBadParameters() {
        api().queryParam("from", "2026-13-01").when().get(STATS + "/links").then().statusCode(400)
                .contentType("application/problem+json").body("violations[0].field", equalTo("from"));
        api().queryParam("from", "2026-03-05").queryParam("to", "2026-03-01").when().get(STATS + "/links/top").then()
                .statusCode(400).body("violations[0].field", equalTo("from"));
        api().queryParam("to", "yesterday").when().get(STATS + "/articles/" + articleId + "/links").then()
                .statusCode(400).body("violations[0].field", equalTo("to"));
        api().when().get(STATS + "/articles/987654/links").then().statusCode(404)
                .contentType("application/problem+json").body("detail", equalTo("Article 987654 does not exist."));
        api().queryParam("limit", 101).when().get(STATS + "/links/top").then().statusCode(400)
                .body("violations[0].field", equalTo("limit"));
    }

    private static List<Map<String, String>> parse(String csv) throws Exception {
        return org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new java.io.StringReader(csv)).getRecords().stream().map(r -> r.toMap()).toList();
    }
}
