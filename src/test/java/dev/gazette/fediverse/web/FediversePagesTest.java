package dev.gazette.fediverse.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import dev.gazette.article.Article;
import dev.gazette.fediverse.FediverseProfile;
import dev.gazette.testing.EditorSession;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.GazetteTest;
import dev.gazette.testing.HtmlValidator;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The editor pages of the fediverse channel: moderating replies (what the public article page then shows) and blocking
 * domains (administrators only), with CSRF, field errors and valid HTML.
 */
@QuarkusTest
@TestProfile(FediverseProfile.class)
class FediversePagesTest extends GazetteTest {

    private static final HtmlValidator HTML = new HtmlValidator();
    private static final String REPLIES = "/admin/fediverse/replies";
    private static final String BLOCKS = "/admin/fediverse/blocks";

    @Test
    void shouldApproveRejectAndDeleteRepliesFromTheModerationPage() {
        Article rivers = fixtures.published("Rivers in spring", "Water.");
        long first = reply(rivers, "https://mastodon.example/users/alice", "<p>Lovely rivers</p>");
        long second = reply(rivers, "https://mastodon.example/users/bob", "<p>Buy cheap watches</p>");
        fixtures.editorToken();
        EditorSession editor = EditorSession.signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD, REPLIES);

        Document pending = page(editor, REPLIES);
        assertEquals("Pending (2)", pending.selectFirst("nav.tabs a[aria-current=page]").text());
        Element row = pending.getElementById("reply-" + first);
        assertEquals("/articles/" + rivers.slug, row.selectFirst("a[href^=/articles/]").attr("href"));
        Element author = row.selectFirst("a[rel='nofollow ugc noopener']");
        assertEquals("https://mastodon.example/@alice", author.attr("href"));
        assertEquals("Alice", author.text());
        assertTrue(row.text().contains("@alice@mastodon.example") && row.text().contains("Lovely rivers"), row.text());

        // a form without the page's CSRF token does nothing
        editor.page().contentType("application/x-www-form-urlencoded").formParam("x", "y")
                .post(REPLIES + "/" + first + "/approve").then().statusCode(403);
        assertFalse(publicPage(rivers).contains("Lovely rivers"));

        editor.form().post(REPLIES + "/" + first + "/approve?status=PENDING").then().statusCode(303)
                .header("Location", containsString(REPLIES + "?status=PENDING&notice=approved"));
        Document after = page(editor, REPLIES + "?status=PENDING&notice=approved");
        assertEquals("Reply approved: it now shows under its article.", after.selectFirst("p.notice").text());
        assertEquals(List.of("Pending (1)", "Approved (1)", "Rejected (0)"), after.select("nav.tabs a").eachText());
        String shown = publicPage(rivers);
        assertTrue(shown.contains("Lovely rivers"), "approved: on the article page");
        assertFalse(shown.contains("cheap watches"), "still pending: not public");

        editor.form().post(REPLIES + "/" + second + "/reject?status=PENDING").then().statusCode(303);
        Document rejected = page(editor, REPLIES + "?status=REJECTED");
        assertTrue(rejected.getElementById("reply-" + second).text().contains("Last moderated by editor"));
        assertFalse(publicPage(rivers).contains("cheap watches"));

        editor.form().post(REPLIES + "/" + first + "/delete?status=APPROVED").then().statusCode(303)
                .header("Location", containsString("status=APPROVED&notice=deleted"));
        assertFalse(publicPage(rivers).contains("Lovely rivers"), "deleted: gone from the cached article page");
        editor.form().post(REPLIES + "/" + first + "/approve").then().statusCode(404);
        assertEquals(1, count("select count(*) from fediverse_reply"));
    }

    @Test
    void shouldBlockAndUnblockDomainsAsAnAdministrator() {
        fixtures.editorToken();
        EditorSession editor = EditorSession.signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD, REPLIES);
        editor.page().get(BLOCKS).then().statusCode(403);
        fixtures.admin();
        EditorSession admin = EditorSession.signIn(Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD, BLOCKS);
        QuarkusTransaction.requiringNew().run(() -> Panache.getEntityManager().createNativeQuery(
                "insert into fediverse_follower (actor_id, inbox, host, follow_activity_id, created_at) values"
                + " ('https://eu.spam.example/users/x', 'https://eu.spam.example/users/x/inbox', 'eu.spam.example',"
                + " 'https://eu.spam.example/follows/1', now())").executeUpdate());

        String refused = admin.form().formParam("domain", "https://spam.example/users").formParam("reason", "Spam")
                .post(BLOCKS).then().statusCode(400).extract().asString();
        assertValid(refused);
        Document form = Jsoup.parse(refused);
        assertEquals("true", form.getElementById("domain").attr("aria-invalid"));
        assertTrue(form.getElementById("domain-error").text().contains("not a URL"), form.getElementById("domain-error").text());
        assertEquals("https://spam.example/users", form.getElementById("domain").val(), "what was typed is kept");
        assertEquals(0, count("select count(*) from fediverse_domain_block"));

        admin.form().formParam("domain", " Spam.Example ").formParam("reason", "Spam").post(BLOCKS).then().statusCode(303)
                .header("Location", containsString(BLOCKS + "?notice=blocked&domain=spam.example"));
        Document list = page(admin, BLOCKS + "?notice=blocked&domain=spam.example");
        assertEquals(List.of("spam.example"), list.select("tbody th[scope=row]").eachText());
        assertTrue(list.selectFirst("tbody tr").text().contains("Spam"));
        assertEquals(0, count("select count(*) from fediverse_follower"), "its follower was removed");

        admin.form().formParam("domain", "spam.example").post(BLOCKS + "/remove").then().statusCode(303);
        assertTrue(page(admin, BLOCKS).select("tbody th[scope=row]").isEmpty());
        assertEquals(0, count("select count(*) from fediverse_domain_block"));
    }

    private static Document page(EditorSession session, String path) {
        String html = session.page().get(path).then().statusCode(200).extract().asString();
        assertValid(html);
        return Jsoup.parse(html);
    }

    private static void assertValid(String page) {
        assertEquals(List.of(), HTML.errors(page).stream().filter(e -> !e.contains("“hx-")).toList(), "valid HTML5");
    }

    private static String publicPage(Article article) {
        return given().accept("text/html").when().get("/articles/" + article.slug).then().statusCode(200).extract().asString();
    }

    private static long count(String sql) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) Panache.getEntityManager().createNativeQuery(sql)
                .getSingleResult()).longValue());
    }

    /** A pending reply as the inbox stores it (the inbox tests cover how it gets there). */
    private long reply(Article article, String actor, String html) {
        String name = actor.substring(actor.lastIndexOf('/') + 1);
        return QuarkusTransaction.requiringNew().call(() -> ((Number) Panache.getEntityManager().createNativeQuery("""
                insert into fediverse_reply (activity_id, object_id, article_id, author_actor_id, author_name, author_handle,
                    author_url, content_html, published_at, received_at, status)
                values (:actor || '/statuses/1/activity', :actor || '/statuses/1', :article, :actor, :name, :handle,
                    'https://mastodon.example/@' || :user, :html, now(), now(), 'PENDING') returning id""")
                .setParameter("actor", actor).setParameter("article", article.id)
                .setParameter("name", Character.toUpperCase(name.charAt(0)) + name.substring(1))
                .setParameter("handle", "@" + name + "@mastodon.example").setParameter("user", name)
                .setParameter("html", html).getSingleResult()).longValue());
    }
}
