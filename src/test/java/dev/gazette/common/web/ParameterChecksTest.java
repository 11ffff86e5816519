package dev.gazette.common.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.gazette.subscriber.Subscriber;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.GazetteTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Control characters in parameters and values that are not of the parameter's kind are answered 400 naming the
 * parameter, as problem+json for the API and as a page for the editor UI, never 500 or 404.
 */
@QuarkusTest
class ParameterChecksTest extends GazetteTest {

    @Test
    void nulAndOtherControlsInQueryParametersAre400NamingTheParameter() {
        String token = fixtures.editorToken();
        String[][] attacks = {
                { "/api/v1/subscribers", "q" }, { "/api/v1/subscribers", "topic" }, { "/api/v1/articles", "q" },
                { "/api/v1/articles", "topic" }, { "/api/v1/subscribers", "source" } };
        for (String[] attack : attacks) {
            for (String control : new String[] { "%00", "%0A", "%1B", "%C2%85", "%7F" }) {
                given().urlEncodingEnabled(false).auth().oauth2(token).get(attack[0] + "?" + attack[1] + "=a" + control + "b")
                        .then().statusCode(400).contentType("application/problem+json")
                        .body("violations[0].field", equalTo(attack[1]));
            }
        }
        String cookie = editorSession();
        given().urlEncodingEnabled(false).cookie("gazette-session", cookie).accept(ContentType.HTML)
                .get("/admin/subscribers?email=%00").then().statusCode(400).contentType(containsString("text/html"))
                .body(containsString("Bad Request"));
        given().urlEncodingEnabled(false).accept(ContentType.HTML).get("/?topic=%00").then().statusCode(400)
                .contentType(containsString("text/html"));
        // ordinary text, accents and all, still passes
        given().auth().oauth2(token).queryParam("q", "Zoë’s café").get("/api/v1/articles").then().statusCode(200);
    }

    @Test
    void unknownEnumAndCursorValuesAre400NamingTheParameter() {
        String token = fixtures.editorToken();
        given().auth().oauth2(token).queryParam("status", "BOGUS").get("/api/v1/articles").then().statusCode(400)
                .contentType("application/problem+json").body("violations[0].field", equalTo("status"))
                .body("violations[0].message", containsString("PUBLISHED"));
        given().auth().oauth2(token).queryParam("status", "nope").get("/api/v1/subscribers").then().statusCode(400)
                .body("violations[0].field", equalTo("status"));
        given().auth().oauth2(token).queryParam("after", "abc").get("/api/v1/articles").then().statusCode(400)
                .body("violations[0].field", equalTo("after"));
        given().auth().oauth2(token).queryParam("after", "99999999999999999999").get("/api/v1/subscribers").then().statusCode(400)
                .body("violations[0].field", equalTo("after"));
        given().auth().oauth2(token).queryParam("limit", "ten").get("/api/v1/subscribers").then().statusCode(400)
                .body("violations[0].field", equalTo("limit"));
        given().auth().oauth2(token).queryParam("contextType", "x").get("/api/v1/links").then().statusCode(400)
                .body("violations[0].field", equalTo("contextType"));
        // good values still work, names in any case
        given().auth().oauth2(token).queryParam("status", "published").queryParam("after", "5").get("/api/v1/articles").then()
                .statusCode(200);
        given().auth().oauth2(token).get("/api/v1/subscribers").then().statusCode(200);
    }

    @Test
    void aNulInAJsonStringIs400NamingTheFieldNot500() {
        String token = fixtures.editorToken();
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"title\":\"Storm\\u0000coast\",\"body\":\"Text.\"}")
                .post("/api/v1/articles").then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("title")).body("violations[0].message", containsString("NUL"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"name\":\"World\",\"description\":\"a\\u0000\"}")
                .post("/api/v1/topics").then().statusCode(400).body("violations[0].field", equalTo("description"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"title\":\"Storm\\tcoast\",\"body\":\"Line\\nnext\"}")
                .post("/api/v1/articles").then().statusCode(201);
    }

    @Test
    void c1ControlsAreRemovedFromNamesLikeC0Controls() {
        given().contentType(ContentType.URLENC).formParam("email", "zoe@example.org").formParam("name", "Zo\u0085e\u009b \u0007Martin")
                .post("/subscribe").then().statusCode(200);
        given().contentType(ContentType.URLENC).formParam("email", "zoe2@example.org").formParam("name", "Zo\u0001e\u001b \u0007Martin")
                .post("/subscribe").then().statusCode(200);
        Subscriber c1 = Subscriber.find("email", "zoe@example.org").firstResult();
        Subscriber c0 = Subscriber.find("email", "zoe2@example.org").firstResult();
        assertEquals(c0.name, c1.name, "C1 controls are treated like C0 controls");
        assertFalse(ParameterChecks.hasControl(c1.name), c1.name);
        assertTrue(c1.name.startsWith("Zo") && c1.name.endsWith("e Martin"), c1.name);
        assertFalse(ParameterChecks.hasControl("Zoë’s café – naïve"));
        assertTrue(ParameterChecks.hasControl("a\u0085"));
    }

    private String editorSession() {
        return given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("j_username", Fixtures.EDITOR).formParam("j_password", Fixtures.EDITOR_PASSWORD)
                .post("/admin/j_security_check").getCookie("gazette-session");
    }
}
