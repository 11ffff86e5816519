package dev.gazette.admin.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import dev.gazette.fediverse.ActorKeys;
import dev.gazette.fediverse.FediverseProfile;
import dev.gazette.fediverse.delivery.KeyRotation;
import dev.gazette.testing.EditorSession;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.GazetteTest;
import dev.gazette.testing.HtmlValidator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The fediverse admin pages against what a hand-edited link or two administrators at once send them: a bad page
 * number is answered 400 with the first page and why, the links to administrator pages show only to administrators,
 * and two rotations of the same key make one new key, the other answered 409 with the key page.
 */
@QuarkusTest
@TestProfile(FediverseProfile.class)
class FediverseAdminInputTest extends GazetteTest {

    private static final HtmlValidator HTML = new HtmlValidator();
    private static final String REPLIES = "/admin/fediverse/replies";
    private static final String KEY = "/admin/fediverse/key";

    @Inject
    ActorKeys keys;

    @Inject
    KeyRotation rotation;

    private static Document page(EditorSession session, String path, int status) {
        String html = session.page().get(path).then().statusCode(status).extract().asString();
        assertEquals(List.of(), HTML.errors(html).stream().filter(e -> !e.contains("“hx-")).toList(), "valid HTML5");
        return Jsoup.parse(html);
    }

    @Test
    void shouldAnswerABadRepliesPageWith400AndTheFirstPage() {
        fixtures.editorToken();
        EditorSession editor = EditorSession.signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD, REPLIES);
        for (String bad : new String[] { "x", "-1", "1.5", "99999999999", "10001" }) {
            Document page = page(editor, REPLIES + "?status=PENDING&page=" + bad, 400);
            assertTrue(page.getElementById("page-error").text().contains("must be a whole number from 0"), bad);
            assertEquals("Pending (0)", page.selectFirst("nav.tabs a[aria-current=page]").text(), bad);
        }
        assertTrue(page(editor, REPLIES + "?page=0", 200).select("#page-error").isEmpty());
    }

    @Test
    void shouldShowTheLinksToAdministratorPagesOnlyToAdministrators() {
        fixtures.editorToken();
        EditorSession editor = EditorSession.signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD, "/admin/channels");
        assertEquals(List.of(REPLIES),
                page(editor, "/admin/fediverse", 200).select("nav[aria-label=Fediverse pages] a").eachAttr("href"));
        editor.page().get(KEY).then().statusCode(403);

        fixtures.admin();
        EditorSession admin = EditorSession.signIn(Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD, "/admin/channels");
        assertEquals(List.of(REPLIES, "/admin/fediverse/blocks", KEY),
                page(admin, "/admin/fediverse", 200).select("nav[aria-label=Fediverse pages] a").eachAttr("href"));
    }

    @Test
    void shouldMakeOneNewKeyWhenTwoAdministratorsRotateAtOnce() throws Exception {
        fixtures.admin();
        keys.current(ActorKeys.PUBLICATION);
        EditorSession first = EditorSession.signIn(Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD, KEY + "/rotate");
        EditorSession second = EditorSession.signIn(Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD, KEY + "/rotate");

        ExecutorService two = Executors.newFixedThreadPool(2);
        List<Integer> statuses = new ArrayList<>();
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (EditorSession admin : List.of(first, second)) {
                answers.add(two.submit(() -> {
                    start.await();
                    return admin.form().formParam("current", "main-key").post(KEY + "/rotate").then().extract().statusCode();
                }));
            }
            start.countDown();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
        } finally {
            two.shutdown();
        }
        statuses.sort(null);
        assertEquals(List.of(303, 409), statuses);
        assertEquals(List.of("key-2", "main-key"), keys.history(ActorKeys.PUBLICATION).stream()
                .map(ActorKeys.KeyRecord::keyName).toList(), "one new key");

        // the page's check passed, then the other rotation committed: the rotation replaces nothing
        assertTrue(rotation.rotate("admin", "main-key").isEmpty());
        assertEquals(2, keys.history(ActorKeys.PUBLICATION).size());
        Document stale = Jsoup.parse(first.form().formParam("current", "main-key").post(KEY + "/rotate").then()
                .statusCode(409).extract().asString());
        assertTrue(stale.text().contains("nothing was changed"), stale.text());
    }
}
