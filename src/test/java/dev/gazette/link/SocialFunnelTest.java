package dev.gazette.link;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.gazette.article.Article;
import dev.gazette.social.Distribution;
import dev.gazette.social.SocialPublisher;
import dev.gazette.testing.Visitors;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The loop measured end to end: articles posted on two channels, readers clicking each post's link, subscribing from
 * the article page, confirming — and the funnel per channel, per post and the top articles adding up.
 */
@QuarkusTest
class SocialFunnelTest extends LinkTestBase {

    @Inject
    SocialPublisher publisher;

    String editor;

    long channel(String name, String path) {
        return given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body(Map.of("network", "MASTODON", "name", name, "baseUrl", wireMock.baseUrl() + path,
                        "credentials", Map.of("accessToken", "t")))
                .post("/api/v1/channels").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    String code(long articleId, long channelId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Distribution d = Distribution.<Distribution>find("articleId = ?1 and channelId = ?2", articleId, channelId)
                    .singleResult();
            return TrackedLink.<TrackedLink>findById(d.linkId).code;
        });
    }

    @Test
    void theFunnelPerChannelPerPostAndTheTopArticlesAddUp() {
        editor = fixtures.editorToken();
        long a = channel("Mastodon A", "/a");
        long b = channel("Mastodon B", "/b");
        wireMock.stubFor(post(urlPathMatching("/(a|b)/api/v1/statuses")).willReturn(aResponse()
                .withBody("{\"id\":\"1\",\"url\":\"https://social.example/@news/1\"}")));
        fixtures.topic("Climate", "climate");
        Article x = fixtures.published("Heatwave explained", "Records.", "climate");
        Article y = fixtures.published("Rain returns", "Finally.", "climate");
        assertEquals(4, publisher.publishDue());

        String ax = code(x.id, a);
        visit(ax, Visitors.MASTODON); // a preview
        visit(ax, FIREFOX);
        visit(ax, SAFARI_IPHONE);
        Visitors.subscribeThrough(ax, "first@example.org"); // a click (Chrome), then a subscribe
        Visitors.subscribeThrough(ax, "second@example.org"); // the same visitor again: no new click within the hour
        visit(code(x.id, b), CHROME);
        visit(code(y.id, a), CHROME);
        Visitors.subscribeThrough(code(y.id, b), "third@example.org");
        QuarkusTransaction.requiringNew().run(() -> io.quarkus.hibernate.orm.panache.Panache.getEntityManager()
                .createNativeQuery("update subscriber set status = 'ACTIVE', confirmed_at = now() where email = 'first@example.org'")
                .executeUpdate());
        recorder.flush();

        given().auth().oauth2(editor).queryParam("from", "2026-03-02").queryParam("to", "2026-03-02")
                .get("/api/v1/stats/channels").then().statusCode(200)
                .body("size()", equalTo(2))
                .body("[0].channel", equalTo("Mastodon A"))
                .body("[0].counts.posts", equalTo(2)).body("[0].counts.previews", equalTo(1))
                .body("[0].counts.clicks", equalTo(4)).body("[0].counts.uniqueClicks", equalTo(4))
                .body("[0].counts.subscribes", equalTo(2)).body("[0].counts.confirmations", equalTo(1))
                .body("[1].channel", equalTo("Mastodon B"))
                .body("[1].counts.posts", equalTo(2)).body("[1].counts.previews", equalTo(0))
                .body("[1].counts.clicks", equalTo(2)).body("[1].counts.subscribes", equalTo(1))
                .body("[1].counts.confirmations", equalTo(0));
        // another period: nothing happened then
        given().auth().oauth2(editor).queryParam("from", "2026-03-03").get("/api/v1/stats/channels").then()
                .body("counts.posts", equalTo(List.of(0, 0))).body("counts.clicks", equalTo(List.of(0, 0)))
                .body("counts.subscribes", equalTo(List.of(0, 0)));

        given().auth().oauth2(editor).get("/api/v1/stats/articles/top").then().statusCode(200)
                .body("slug", equalTo(List.of("heatwave-explained", "rain-returns")))
                .body("[0].counts.posts", equalTo(2)).body("[0].counts.clicks", equalTo(4))
                .body("[0].counts.subscribes", equalTo(2)).body("[1].counts.clicks", equalTo(2))
                .body("[1].counts.subscribes", equalTo(1));

        given().auth().oauth2(editor).get("/api/v1/stats/articles/" + x.id + "/posts").then().statusCode(200)
                .body("channel", equalTo(List.of("Mastodon A", "Mastodon B")))
                .body("linkCode", equalTo(List.of(ax, code(x.id, b))))
                .body("counts.clicks", equalTo(List.of(3, 1))).body("counts.previews", equalTo(List.of(1, 0)))
                .body("counts.subscribes", equalTo(List.of(2, 0))).body("counts.confirmations", equalTo(List.of(1, 0)));

        String csv = given().auth().oauth2(editor).queryParam("format", "csv").get("/api/v1/stats/channels").then()
                .statusCode(200).contentType("text/csv").extract().asString();
        assertEquals("channel_id,channel,network,status,posts,previews,clicks,unique_clicks,subscribes,confirmations\n"
                + a + ",Mastodon A,MASTODON,ACTIVE,2,1,4,4,2,1\n" + b + ",Mastodon B,MASTODON,ACTIVE,2,0,2,2,1,0\n", csv);
        given().auth().oauth2(editor).queryParam("from", "March").get("/api/v1/stats/channels").then().statusCode(400)
                .body("violations[0].field", equalTo("from"));
    }
}
