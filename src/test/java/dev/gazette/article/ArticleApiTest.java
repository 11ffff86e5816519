package dev.gazette.article;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.testing.GazetteTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
class ArticleApiTest extends GazetteTest {

    private static final String ARTICLES = "/api/v1/articles";

    private String token;

    @BeforeEach
    void editor() {
        token = fixtures.editorToken();
        fixtures.topic("Climate", "climate");
        fixtures.topic("Cities", "cities");
    }

    private RequestSpecification api() {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    @Test
    void shouldCreateDraftWithGeneratedSlugAndRenderedBody() {
        api().body("""
                {"title": "Heatwave: what the new records mean", "summary": "Three scientists explain.",
                 "body": "Records **broke** in *40* cities.", "topics": ["climate", "cities"],
                 "imageUrl": "https://images.example.org/heat.jpg", "imageAlt": "A thermometer",
                 "imageCredit": "Photo: Ana Ruiz, CC BY 4.0"}""")
                .when().post(ARTICLES)
                .then().statusCode(201)
                .header("Location", containsString(ARTICLES + "/"))
                .body("slug", equalTo("heatwave-what-the-new-records-mean"))
                .body("status", equalTo("DRAFT"))
                .body("bodyHtml", equalTo("<p>Records <strong>broke</strong> in <em>40</em> cities.</p>"))
                .body("topics", contains("cities", "climate"))
                .body("url", equalTo("http://localhost:8080/articles/heatwave-what-the-new-records-mean"))
                .body("canonicalUrl", equalTo("http://localhost:8080/articles/heatwave-what-the-new-records-mean"))
                .body("language", equalTo("en"));
        api().body("{\"title\": \"Heatwave: what the new records mean\", \"body\": \"\"}")
                .when().post(ARTICLES)
                .then().statusCode(201).body("slug", equalTo("heatwave-what-the-new-records-mean-2"));
    }

    @Test
    void shouldNameEveryInvalidField() {
        api().body("""
                {"title": " ", "slug": "Not A Slug", "body": "x", "imageUrl": "javascript:alert(1)",
                 "topics": ["climate", "nope"], "canonicalUrl": "/relative"}""")
                .when().post(ARTICLES)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItems("title"));
        api().body("""
                {"title": "Fine", "slug": "Not A Slug", "body": "x", "imageUrl": "javascript:alert(1)",
                 "topics": ["climate", "nope"], "canonicalUrl": "/relative"}""")
                .when().post(ARTICLES)
                .then().statusCode(400)
                .body("violations.field", hasItems("slug", "imageUrl", "topics", "canonicalUrl"))
                .body("violations.find { it.field == 'topics' }.message", equalTo("unknown topics: nope"));
        api().body("{\"title\": \"Picture\", \"body\": \"x\", \"imageUrl\": \"https://example.org/a.jpg\"}")
                .when().post(ARTICLES)
                .then().statusCode(400).body("violations[0].field", equalTo("imageAlt"));
        api().body("{\"body\": \"x\", \"title\": \"" + "t".repeat(301) + "\"}")
                .when().post(ARTICLES)
                .then().statusCode(400).body("violations[0].field", equalTo("title"));
    }

    @Test
    void shouldAnswer404And409() {
        api().when().get(ARTICLES + "/12345").then().statusCode(404).contentType("application/problem+json");
        api().body("{\"title\": \"x\"}").when().patch(ARTICLES + "/12345").then().statusCode(404);
        api().body("{\"title\": \"First\", \"slug\": \"taken\", \"body\": \"\"}").when().post(ARTICLES).then().statusCode(201);
        api().body("{\"title\": \"Second\", \"slug\": \"taken\", \"body\": \"\"}")
                .when().post(ARTICLES)
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("violations[0].field", equalTo("slug"));
    }

    @Test
    void shouldKeepSlugStableOncePublished() {
        long id = fixtures.published("Stable", "Body").id;
        api().body("{\"slug\": \"renamed\"}").when().patch(ARTICLES + "/" + id)
                .then().statusCode(409).body("violations[0].field", equalTo("slug"));
        api().body("{\"title\": \"Retitled\"}").when().patch(ARTICLES + "/" + id)
                .then().statusCode(200).body("title", equalTo("Retitled")).body("slug", equalTo("stable"));
    }

    @Test
    void shouldFilterAndPaginateWithKeysetCursor() {
        for (int i = 1; i <= 5; i++) {
            fixtures.draft("Draft number " + i, "x", "climate");
        }
        fixtures.published("Published about cities", "x", "cities");

        List<String> first = api().when().get(ARTICLES + "?limit=4").then().statusCode(200)
                .body("items", hasSize(4)).body("nextCursor", notNullValue())
                .extract().path("items.title");
        String cursor = api().when().get(ARTICLES + "?limit=4").then().extract().path("nextCursor");
        api().when().get(ARTICLES + "?limit=4&after=" + cursor).then().statusCode(200)
                .body("items", hasSize(2)).body("nextCursor", nullValue())
                .body("items.title", contains("Draft number 2", "Draft number 1"));
        org.junit.jupiter.api.Assertions.assertEquals("Published about cities", first.get(0));

        api().when().get(ARTICLES + "?status=PUBLISHED").then().body("items.title", contains("Published about cities"));
        api().when().get(ARTICLES + "?topic=climate").then().body("items", hasSize(5));
        api().queryParam("q", "NUMBER 3").when().get(ARTICLES).then().body("items.title", contains("Draft number 3"));
        api().queryParam("q", "100%").when().get(ARTICLES).then().body("items", hasSize(0));
        api().when().get(ARTICLES + "?limit=0").then().statusCode(400).body("violations[0].field", equalTo("limit"));
        api().when().get(ARTICLES + "?status=LOST").then().statusCode(400).body("violations[0].field", equalTo("status"));
    }

    @Test
    void shouldWalkTheLifecycle() {
        long id = fixtures.draft("Lifecycle", "x").id;
        api().body("{\"publishAt\": \"2026-03-02T08:00:00Z\"}").when().post(ARTICLES + "/" + id + "/schedule")
                .then().statusCode(400).body("violations[0].field", equalTo("publishAt"));
        api().body("{\"publishAt\": \"2026-03-02T10:00:00Z\"}").when().post(ARTICLES + "/" + id + "/schedule")
                .then().statusCode(200).body("status", equalTo("SCHEDULED")).body("publishAt", equalTo("2026-03-02T10:00:00Z"));
        api().when().post(ARTICLES + "/" + id + "/publish")
                .then().statusCode(200).body("status", equalTo("PUBLISHED"))
                .body("publishedAt", equalTo("2026-03-02T09:00:00Z")).body("publishAt", nullValue());
        api().when().delete(ARTICLES + "/" + id).then().statusCode(409);
        api().when().post(ARTICLES + "/" + id + "/unpublish")
                .then().statusCode(200).body("status", equalTo("UNPUBLISHED"));
        api().when().post(ARTICLES + "/" + id + "/unpublish").then().statusCode(409);

        long draft = fixtures.draft("Throwaway", "x").id;
        api().when().delete(ARTICLES + "/" + draft).then().statusCode(204);
        api().when().get(ARTICLES + "/" + draft).then().statusCode(404);
    }

    @Test
    void shouldManageTopics() {
        api().body("{\"name\": \"Local Politics\"}").when().post("/api/v1/topics")
                .then().statusCode(201).body("slug", equalTo("local-politics"));
        api().body("{\"name\": \"Other\", \"slug\": \"climate\"}").when().post("/api/v1/topics")
                .then().statusCode(409).body("violations[0].field", equalTo("slug"));
        api().body("{\"name\": \"\"}").when().post("/api/v1/topics")
                .then().statusCode(400).body("violations[0].field", equalTo("name"));
        int id = api().when().get("/api/v1/topics").then().statusCode(200)
                .body("name", contains("Cities", "Climate", "Local Politics"))
                .extract().path("find { it.slug == 'local-politics' }.id");
        api().body("{\"description\": \"Town hall and beyond\"}").when().patch("/api/v1/topics/" + id)
                .then().statusCode(200).body("description", equalTo("Town hall and beyond"));
        api().when().delete("/api/v1/topics/" + id).then().statusCode(204);
        api().when().get("/api/v1/topics/" + id).then().statusCode(404);
    }

    @Test
    void shouldRequireEditorToken() {
        given().when().get(ARTICLES).then().statusCode(401);
    }
}
