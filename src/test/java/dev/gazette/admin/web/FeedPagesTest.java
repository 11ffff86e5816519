package dev.gazette.admin.web;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.article.Article;
import dev.gazette.article.feed.FeedSource;
import dev.gazette.article.feed.ImportMode;
import dev.gazette.testing.EditorSession;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.GazetteTest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/**
 * The Feeds pages over HTTP: adding a feed, fetching it now, its state and last error in plain words, changing,
 * pausing and removing it.
 */
@QuarkusTest
class FeedPagesTest extends GazetteTest {

    private static final Pattern FEED_ID = Pattern.compile("/admin/feeds/(\\d+)\\?notice=added$");
    private static final String RSS = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel><title>Partner blog</title><link>https://blog.example.org/</link>
            <description>Posts</description>
            <item><guid>one</guid><title>First post</title><link>https://blog.example.org/one</link>
            <description>One.</description></item>
            <item><guid>two</guid><title>Second post</title><link>https://blog.example.org/two</link>
            <description>Two.</description></item>
            </channel></rss>""";

    private EditorSession editor;

    @BeforeEach
    void signIn() {
        fixtures.editorToken();
        fixtures.topic("Climate", "climate");
        editor = EditorSession.signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD, "/admin/feeds");
    }

    private RequestSpecification session() {
        return editor.page();
    }

    private RequestSpecification form() {
        return editor.form();
    }

    private long add(String path) {
        String location = form().formParam("url", wireMock.baseUrl() + path).formParam("topic", "climate")
                .formParam("pollIntervalMinutes", "30").formParam("importAs", "PUBLISHED")
                .post("/admin/feeds").then().statusCode(303).extract().header("Location");
        Matcher id = FEED_ID.matcher(location);
        assertTrue(id.find(), location);
        return Long.parseLong(id.group(1));
    }

    private static FeedSource source(long id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            FeedSource s = FeedSource.<FeedSource> findById(id);
            if (s != null) {
                s.topics.size();
            }
            return s;
        });
    }

    @Test
    void anEditorAddsFetchesChangesPausesAndRemovesAFeed() {
        wireMock.stubFor(get(urlEqualTo("/feed.xml")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/rss+xml").withBody(RSS)));
        long id = add("/feed.xml");
        session().get("/admin/feeds/" + id + "?notice=added").then().statusCode(200)
                .body(containsString("Feed added.")).body(containsString("Waiting for its first fetch"));

        form().post("/admin/feeds/" + id + "/poll").then().statusCode(200)
                .body(containsString("Fetched: 2 new articles, 0 updated articles, 0 unchanged."));
        session().get("/admin/feeds").then().statusCode(200).body(containsString("Partner blog"))
                .body(containsString("<td>Working</td>"));
        assertEquals(2L, QuarkusTransaction.requiringNew().call(() -> Article.count()));

        form().formParam("pollIntervalMinutes", "60").formParam("importAs", "DRAFT").post("/admin/feeds/" + id)
                .then().statusCode(303);
        FeedSource changed = source(id);
        assertEquals(3600, changed.pollIntervalSecs);
        assertEquals(ImportMode.DRAFT, changed.importAs);
        assertEquals(List.of(), changed.topics.stream().map(t -> t.slug).toList(), "no box ticked: no topics");

        form().post("/admin/feeds/" + id + "/pause").then().statusCode(303);
        session().get("/admin/feeds/" + id).then().body(containsString("<dd id=\"feed-state\">Paused</dd>"));

        form().post("/admin/feeds/" + id + "/delete").then().statusCode(303);
        assertEquals(null, source(id));
        assertEquals(2L, QuarkusTransaction.requiringNew().call(() -> Article.count()), "imported articles stay");
    }

    @Test
    void aFailingFeedSaysWhyInPlainWords() {
        wireMock.stubFor(get(urlEqualTo("/gone.xml")).willReturn(aResponse().withStatus(404)));
        long id = add("/gone.xml");
        form().post("/admin/feeds/" + id + "/poll").then().statusCode(200)
                .body(containsString("The fetch failed: There is no feed at this address any more: check the address on the site."));
        session().get("/admin/feeds").then()
                .body(containsString("<td>Failing (1 failed fetch in a row)</td>"))
                .body(containsString("There is no feed at this address any more"));
    }

    @Test
    void fieldErrorsAreShownNextToTheirFields() {
        wireMock.stubFor(get(urlEqualTo("/feed.xml")).willReturn(aResponse().withStatus(200).withBody(RSS)));
        form().formParam("url", wireMock.baseUrl() + "/feed.xml").formParam("pollIntervalMinutes", "3")
                .post("/admin/feeds").then().statusCode(400)
                .body(containsString("<p class=\"field-error\" id=\"interval-error\">must be between 5 and 10080 minutes</p>"));
        form().formParam("url", "ftp://example.org/feed.xml").post("/admin/feeds").then().statusCode(400)
                .body(containsString("<p class=\"field-error\" id=\"url-error\">Only http and https URLs can be fetched"));
        form().formParam("url", wireMock.baseUrl() + "/feed.xml").formParam("topic", "nope").post("/admin/feeds")
                .then().statusCode(400).body(containsString("<p class=\"field-error\" id=\"topics-error\">unknown topics: nope</p>"));
    }
}
