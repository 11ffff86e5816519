package dev.gazette.fediverse.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;


import org.junit.jupiter.api.Test;

import dev.gazette.article.Article;
import dev.gazette.article.ArticleInput;
import dev.gazette.fediverse.FediverseProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * An article withdrawn and published again reaches the followers' servers as a new post: a Create under a new
 * activity id (Mastodon ignores a Create whose id it saw deleted), and later edits update that one.
 */
@QuarkusTest
@TestProfile(FediverseProfile.class)
class RepublishTest extends OneServerTestBase {

    @Test
    void shouldSendAFreshCreateWithANewIdWhenAWithdrawnArticleIsPublishedAgain() {
        Article rivers = publishedAndDelivered();
        String url = FediverseProfile.BASE_URL + "/articles/" + rivers.slug;
        fixtures.articles().unpublish(rivers.id);
        deliver();
        fixtures.articles().publishNow(rivers.id);
        deliver();
        int version = fixtures.articles().update(rivers.id, new ArticleInput("Rivers in late spring", null, null, null,
                null, null, null, null, null, null, null, null, null)).version;
        deliver();
        fixtures.articles().unpublish(rivers.id);
        deliver();
        deliver();

        List<JsonPath> received = received();
        assertEquals(List.of("Create", "Delete", "Create", "Update", "Delete"),
                received.stream().map(b -> b.getString("type")).toList());
        assertEquals(List.of(url + "#create", url + "#delete", url + "#create-2"),
                received.subList(0, 3).stream().map(b -> b.getString("id")).toList());
        assertEquals(url, received.get(0).getString("object.id"));
        assertEquals(url, received.get(1).getString("object.id"), "the first generation's Delete");
        // the receiver keeps the first object's id as deleted for good: the second generation is another object
        assertEquals(url + "#g2", received.get(2).getString("object.id"));
        assertEquals(url, received.get(2).getString("object.url"), "shown with a link to the article's page");
        assertEquals("Rivers in spring", received.get(2).getString("object.name"));
        JsonPath update = received.get(3);
        assertEquals(url + "#update-" + version + "-g2", update.getString("id"), "an Update per edit and generation");
        assertEquals(url + "#g2", update.getString("object.id"));
        assertEquals("Rivers in late spring", update.getString("object.name"));
        assertEquals(url + "#delete-2", received.get(4).getString("id"));
        assertEquals(url + "#g2", received.get(4).getString("object.id"));
        assertEquals("Tombstone", received.get(4).getString("object.type"));
    }

    @Test
    void shouldShowTheLatestGenerationAtTheArticlesAddressAndInTheOutbox() {
        Article rivers = publishedAndDelivered();
        String url = FediverseProfile.BASE_URL + "/articles/" + rivers.slug;
        given().accept("application/activity+json").when().get("/articles/" + rivers.slug).then().statusCode(200)
                .body("id", equalTo(url));
        fixtures.articles().unpublish(rivers.id);
        deliver();
        fixtures.articles().publishNow(rivers.id);
        deliver();

        // what a server fetches by the id it was sent (the fragment stays with it) is that object, current
        given().accept("application/activity+json").when().get("/articles/" + rivers.slug).then().statusCode(200)
                .body("id", equalTo(url + "#g2")).body("url", equalTo(url)).body("name", equalTo("Rivers in spring"));
        given().queryParam("page", 1).when().get("/ap/actor/outbox").then().statusCode(200)
                .body("orderedItems[0].id", equalTo(url + "#create-2"))
                .body("orderedItems[0].object.id", equalTo(url + "#g2"));
    }

    @Test
    void shouldSendNoSecondCreateWhenTheArticleReturnsBeforeItsDeleteWasSent() {
        Article rivers = publishedAndDelivered();
        fixtures.articles().unpublish(rivers.id);
        assertEquals(1, planner.plan(), "the Delete is planned");
        fixtures.articles().publishNow(rivers.id);
        assertEquals(1, planner.plan(), "the inbox still has the Create: no new one, only an Update of what may have changed");
        sender.sendDue();
        clock.advance(Duration.ofMinutes(5));
        fixtures.articles().unpublish(rivers.id);
        deliver();

        List<JsonPath> received = received();
        assertEquals(List.of("Create", "Update", "Delete"), received.stream().map(b -> b.getString("type")).toList(),
                "the stale Delete was not sent; the second withdrawal sends one");
        assertEquals(FediverseProfile.BASE_URL + "/articles/" + rivers.slug + "#delete", received.get(2).getString("id"));
    }
}
