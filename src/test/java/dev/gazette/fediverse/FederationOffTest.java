package dev.gazette.fediverse;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

import dev.gazette.testing.GazetteTest;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Federation off (the default): every fediverse address answers 404 and article pages stay HTML only.
 */
@QuarkusTest
class FederationOffTest extends GazetteTest {

    @Test
    void shouldAnswer404AtEveryFediverseAddress() {
        given().queryParam("resource", "acct:news@localhost").when().get("/.well-known/webfinger")
                .then().statusCode(404).contentType("application/problem+json");
        given().when().get("/.well-known/webfinger").then().statusCode(404);
        given().when().get("/.well-known/nodeinfo").then().statusCode(404);
        given().when().get("/nodeinfo/2.1").then().statusCode(404);
        given().accept("application/activity+json").when().get("/ap/actor").then().statusCode(404);
        given().when().get("/ap/actor/outbox").then().statusCode(404);
        given().when().get("/ap/actor/followers").then().statusCode(404);
        given().contentType("application/activity+json").body("{}").when().post("/ap/inbox").then().statusCode(404);
        given().contentType("application/activity+json").body("{}").when().post("/ap/actor/inbox").then().statusCode(404);
    }

    @Test
    void shouldTellEditorsHowToTurnFederationOnInsteadOfModerationPages() {
        fixtures.admin();
        var admin = dev.gazette.testing.EditorSession.signIn(dev.gazette.testing.Fixtures.ADMIN,
                dev.gazette.testing.Fixtures.ADMIN_PASSWORD, "/admin/fediverse/replies");
        for (String page : new String[] { "/admin/fediverse/replies", "/admin/fediverse/blocks" }) {
            admin.page().get(page).then().statusCode(200).body(containsString("Federation is off"))
                    .body(containsString("GAZETTE_FEDIVERSE_ENABLED=true"));
        }
        admin.form().formParam("domain", "spam.example").post("/admin/fediverse/blocks").then().statusCode(404);
    }

    @Test
    void shouldServeArticlePagesAsHtmlOnly() {
        fixtures.published("Plain page", "Body.");
        given().accept("application/activity+json").when().get("/articles/plain-page")
                .then().statusCode(200).contentType(startsWith("text/html"))
                .header("Vary", nullValue())
                .body(not(containsString("application/activity+json")));
        given().accept("text/html").when().get("/")
                .then().statusCode(200).body(not(containsString("application/activity+json")));
    }
}
