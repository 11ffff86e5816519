package dev.gazette.link;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.common.error.Problem;
import dev.gazette.common.error.ProblemException;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
class LinkApiTest extends LinkTestBase {

    private static final String LINKS = "/api/v1/links";
    private static final String TARGET = "https://news.example.org/story";

    private String token;

    @BeforeEach
    void editor() {
        token = fixtures.editorToken();
    }

    private RequestSpecification api() {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    @Test
    void shouldCreateCampaignLinkThatRedirects() {
        String code = api().body("""
                {"target": "https://news.example.org/story?id=7", "label": "Spring flyer",
                 "utmSource": "flyer", "utmMedium": "print", "utmCampaign": "spring 2026"}""")
                .when().post(LINKS)
                .then().statusCode(201)
                .header("Location", matchesPattern(".*/api/v1/links/\\d+"))
                .body("code", matchesPattern("[0-9A-Za-z]{10}"))
                .body("contextType", equalTo("CAMPAIGN"))
                .body("contextId", nullValue())
                .body("label", equalTo("Spring flyer"))
                .body("target", equalTo("https://news.example.org/story?id=7"))
                .body("redirectsTo", equalTo("https://news.example.org/story?id=7&utm_source=flyer&utm_medium=print"
                        + "&utm_campaign=spring%202026"))
                .body("counts.previews", equalTo(0)).body("counts.clicks", equalTo(0)).body("counts.uniqueClicks", equalTo(0))
                .extract().path("code");
        api().when().get(LINKS).then().body("items[0].url", equalTo("http://localhost:8080/r/" + code));
        visit(code, CHROME).then().statusCode(302)
                .header("Location", equalTo("https://news.example.org/story?id=7&utm_source=flyer&utm_medium=print"
                        + "&utm_campaign=spring%202026"));
    }

    @Test
    void shouldReturnTheExistingLinkForTheSameTargetAndLabel() {
        int id = api().body("{\"target\": \"" + TARGET + "\", \"label\": \"Podcast\", \"utmSource\": \"podcast\"}")
                .when().post(LINKS).then().statusCode(201).extract().path("id");
        api().body("{\"target\": \"" + TARGET + "\", \"label\": \"Podcast\", \"utmSource\": \"other\"}")
                .when().post(LINKS)
                .then().statusCode(200).body("id", equalTo(id)).body("utmSource", equalTo("podcast"));
        api().body("{\"target\": \"" + TARGET + "\", \"label\": \"Radio\"}")
                .when().post(LINKS).then().statusCode(201).body("id", not(equalTo(id)));
    }

    @Test
    void shouldNameEveryInvalidField() {
        for (String target : List.of("javascript:alert(1)", "/articles/relative", "ftp://files.example.org/x",
                "https://user:secret@news.example.org/", "http://localhost:8080/r/AAAAAAAAAA", "https://exa mple.org/",
                "https:///nohost", "https://news.example.org/" + "x".repeat(2000))) {
            api().body("{\"target\": \"" + target + "\", \"label\": \"Bad\"}")
                    .when().post(LINKS)
                    .then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("status", equalTo(400))
                    .body("violations.field", contains("target"));
        }
        api().body("{\"target\": \"" + TARGET + "\", \"label\": \" \", \"utmSource\": \"" + "s".repeat(201) + "\"}")
                .when().post(LINKS)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItems("label", "utmSource"));
        api().body("{\"label\": \"No target\"}").when().post(LINKS)
                .then().statusCode(400).body("violations.field", contains("target"));
        api().body("{\"target\": 42, \"label\": [1]").when().post(LINKS).then().statusCode(400);
        api().when().post(LINKS).then().statusCode(400);
    }

    @Test
    void shouldListNewestFirstWithKeysetCursorAndFilter() {
        for (int i = 1; i <= 5; i++) {
            campaign(TARGET + "/" + i, Utm.NONE);
        }
        TrackedLink social = links.create(TARGET + "/1", LinkContextType.DISTRIBUTION, 42L, Utm.social("bluesky", "one"));

        String cursor = api().when().get(LINKS + "?limit=4").then().statusCode(200)
                .body("items", hasSize(4))
                .body("items.target", contains(TARGET + "/1", TARGET + "/5", TARGET + "/4", TARGET + "/3"))
                .extract().path("nextCursor");
        api().when().get(LINKS + "?limit=4&after=" + cursor).then().statusCode(200)
                .body("items.target", contains(TARGET + "/2", TARGET + "/1"))
                .body("nextCursor", nullValue());
        api().when().get(LINKS + "?contextType=DISTRIBUTION").then()
                .body("items.id", contains(social.id.intValue()))
                .body("items[0].contextId", equalTo(42));
        api().when().get(LINKS + "?contextType=DISTRIBUTION&contextId=43").then().body("items", hasSize(0));
        api().when().get(LINKS + "?limit=101").then().statusCode(400).body("violations[0].field", equalTo("limit"));
    }

    @Test
    void shouldShowOneLinkWithItsCounts() {
        TrackedLink link = campaign(TARGET, Utm.NONE);
        visit(link.code, CHROME).then().statusCode(302);
        visit(link.code, FIREFOX).then().statusCode(302);
        visit(link.code, "facebookexternalhit/1.1").then().statusCode(302);
        recorder.flush();
        api().when().get(LINKS + "/" + link.id).then().statusCode(200)
                .body("code", equalTo(link.code))
                .body("counts.previews", equalTo(1))
                .body("counts.clicks", equalTo(2))
                .body("counts.uniqueClicks", equalTo(2));
        api().when().get(LINKS + "/987654").then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("Link 987654 does not exist."));
    }

    @Test
    void shouldRequireAnEditorToken() {
        given().when().get(LINKS).then().statusCode(401).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"target\": \"" + TARGET + "\", \"label\": \"x\"}")
                .when().post(LINKS).then().statusCode(401);
        given().when().get("/api/v1/stats/links").then().statusCode(401);
    }

    @Test
    void shouldBeDocumentedInOpenApi() {
        given().accept("application/json").when().get("/q/openapi").then().statusCode(200)
                .body("paths", hasKey("/api/v1/links"))
                .body("paths", hasKey("/api/v1/links/{id}"))
                .body("paths", hasKey("/api/v1/stats/links"))
                .body("paths", hasKey("/api/v1/stats/links/top"))
                .body("paths", hasKey("/api/v1/stats/articles/{id}/links"));
    }

    @Test
    void shouldCreateOneLinkPerTargetAndDistribution() {
        TrackedLink first = links.create(TARGET, LinkContextType.DISTRIBUTION, 7L, Utm.social("mastodon", "story"));
        TrackedLink again = links.create(TARGET, LinkContextType.DISTRIBUTION, 7L, Utm.social("mastodon", "story"));
        TrackedLink otherPost = links.create(TARGET, LinkContextType.DISTRIBUTION, 8L, Utm.social("bluesky", "story"));
        TrackedLink digest = links.create(TARGET, LinkContextType.DIGEST_ISSUE, 7L, Utm.NONE);
        assertEquals(first.id, again.id);
        assertEquals(first.code, again.code);
        assertNotEquals(first.id, otherPost.id);
        assertNotEquals(first.id, digest.id);
        assertEquals("http://localhost:8080/r/" + first.code, links.shortUrl(first));

        ProblemException missingId = assertThrows(ProblemException.class,
                () -> links.create(TARGET, LinkContextType.DISTRIBUTION, null, Utm.NONE));
        assertEquals(List.of("contextId", "label"), missingId.violations().stream().map(Problem.Violation::field).toList());
    }
}
