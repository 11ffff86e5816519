package dev.gazette.admin.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.article.Article;
import dev.gazette.testing.EditorSession;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.GazetteTest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/**
 * The article editor over HTTP: author and slug fields, the slug's checks named next to the field, the "Update"
 * button of a live article, the full preview and the private preview link of a draft.
 */
@QuarkusTest
class ArticleEditorPagesTest extends GazetteTest {

    private static final Pattern PREVIEW_LINK = Pattern.compile("id=\"preview-link\" value=\"[^\"]*(/preview/[^\"]+)\"");

    private EditorSession editor;

    @jakarta.inject.Inject
    dev.gazette.social.ChannelService channels;

    @BeforeEach
    void signIn() {
        fixtures.editorToken();
        fixtures.topic("Climate", "climate");
        editor = EditorSession.signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD, "/admin/articles/new");
    }

    private RequestSpecification session() {
        return editor.page();
    }

    private RequestSpecification article(String title, String slug) {
        return editor.form().formParam("title", title)
                .formParam("body", "Ice *lost*.").formParam("summary", "").formParam("slug", slug)
                .formParam("author", "Ana Ruiz").formParam("action", "save");
    }

    private static Article saved(String slug) {
        return QuarkusTransaction.requiringNew().call(() -> Article.findBySlugWithTopics(slug).orElseThrow());
    }

    @Test
    void authorAndSlugAreSavedAndShownOnThePage() {
        article("Glaciers retreat", "ice-survey").post("/admin/articles").then().statusCode(303);
        Article a = saved("ice-survey");
        assertEquals("Ana Ruiz", a.author);
        fixtures.articles().publishNow(a.id);
        given().get("/articles/ice-survey").then().statusCode(200).body(containsString("By Ana Ruiz"));
    }

    @Test
    void aBadOrTakenSlugIsNamedNextToItsField() {
        article("Glaciers", "Ice Survey!").post("/admin/articles").then().statusCode(400)
                .body(containsString("<p class=\"field-error\" id=\"slug-error\">must be lower-case letters and digits separated by dashes</p>"))
                .body(containsString("aria-describedby=\"slug-hint slug-error\" aria-invalid=\"true\""))
                .body(containsString("value=\"Glaciers\""));
        article("Glaciers", "a".repeat(201)).post("/admin/articles").then().statusCode(400)
                .body(containsString("<p class=\"field-error\" id=\"slug-error\">must be at most 200 characters</p>"));
        fixtures.draft("First", "Text.");
        article("Second", "first").post("/admin/articles").then().statusCode(409)
                .body(containsString("<p class=\"field-error\" id=\"slug-error\">The slug first is taken by another article.</p>"));
    }

    @Test
    void aPublishedArticleIsUpdatedNotSavedAsDraft() {
        Article draft = fixtures.draft("Glaciers", "Ice.", "climate");
        session().get("/admin/articles/" + draft.id).then().statusCode(200)
                .body(containsString(">Save draft</button>")).body(not(containsString(">Update</button>")));

        fixtures.articles().publishNow(draft.id);
        session().get("/admin/articles/" + draft.id).then().statusCode(200)
                .body(containsString(">Update</button>")).body(not(containsString("Save draft")))
                .body(containsString("This article is live."))
                .body(containsString("id=\"slug\" name=\"slug\" value=\"glaciers\" maxlength=\"200\" aria-describedby=\"slug-hint\"  readonly"));

        editor.form().formParam("id", draft.id)
                .formParam("title", "Glaciers retreat").formParam("body", "Ice.").formParam("slug", "glaciers")
                .formParam("action", "save").post("/admin/articles").then().statusCode(303)
                .header("Location", endsWith("?notice=updated"));
        given().get("/articles/glaciers").then().statusCode(200).body(containsString("<h1>Glaciers retreat</h1>"));
    }

    @Test
    void aDraftHasAFullPreviewAndAPrivateLinkThatExpires() {
        Article draft = fixtures.draft("Secret plans", "The *plans*.", "climate");
        given().get("/articles/secret-plans").then().statusCode(404);
        given().redirects().follow(false).get("/admin/articles/" + draft.id + "/preview").then().statusCode(302);
        session().get("/admin/articles/" + draft.id + "/preview").then().statusCode(200)
                .body(containsString("<h1>Secret plans</h1>")).body(containsString("<em>plans</em>"));

        String page = session().get("/admin/articles/" + draft.id).then().statusCode(200).extract().asString();
        Matcher link = PREVIEW_LINK.matcher(page);
        assertTrue(link.find(), page);
        String path = link.group(1);

        given().get(path).then().statusCode(200).header("Cache-Control", containsString("no-store"))
                .header("X-Robots-Tag", containsString("noindex"))
                .body(containsString("<h1>Secret plans</h1>")).body(containsString("<em>plans</em>"));

        String token = path.substring("/preview/".length());
        String tampered = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
        given().get("/preview/" + tampered).then().statusCode(404).body(not(containsString("Secret plans")));
        given().get("/preview/").then().statusCode(404);
        given().get("/preview/not-a-token").then().statusCode(404);

        clock.advance(Duration.ofDays(7).plusMinutes(1));
        given().get(path).then().statusCode(410).body(not(containsString("Secret plans")));
    }

    @Test
    void eachChannelsPostIsPreviewedBeforeTheFirstSave() {
        channels.create(new dev.gazette.social.ChannelInput(dev.gazette.social.Network.MASTODON, "Mastodon @news",
                wireMock.baseUrl(), null, java.util.Map.of("accessToken", "t"), null, null, null, null, null, null, null,
                null, null));
        session().get("/admin/articles/new").then().statusCode(200)
                .body(containsString("hx-post=\"/admin/articles/social-preview\""));

        String html = editor.form().formParam("title", "Glaciers retreat faster").formParam("summary", "Ice lost.")
                .formParam("topic", "climate").formParam("imageUrl", "https://images.example.org/ice.jpg")
                .formParam("imageAlt", "A glacier").post("/admin/articles/social-preview").then().statusCode(200)
                .extract().asString();
        assertTrue(html.contains("<strong>Mastodon @news</strong>"), html);
        assertTrue(html.contains("Glaciers retreat faster"), html);
        assertTrue(html.contains("#Climate"), "the topic's hashtag: " + html);
        assertTrue(html.contains("/r/xxxxxxxx"), "a stand-in link of the tracked link's length: " + html);
        assertTrue(html.contains("src=\"https://images.example.org/ice.jpg\" alt=\"A glacier\""), html);
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> Article.count()), "nothing is saved");

        // without a session, or without the CSRF token, nothing is answered
        given().redirects().follow(false).formParam("title", "x").post("/admin/articles/social-preview").then()
                .statusCode(302).body(not(containsString("Mastodon")));
        session().contentType(io.restassured.http.ContentType.URLENC).formParam("title", "x")
                .post("/admin/articles/social-preview").then().statusCode(403);
    }
}
