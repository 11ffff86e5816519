package dev.gazette.fediverse.inbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gazette.article.Article;
import dev.gazette.fediverse.FediverseProfile;
import dev.gazette.fediverse.Replies;
import dev.gazette.fediverse.Reply;
import dev.gazette.fediverse.ReplyStatus;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Replies from the fediverse: a signed {@code Create} of a {@code Note} answering an article is kept for moderation,
 * sanitised, and shown on the article's public page only once approved; its author can edit or delete it, nobody else.
 */
@QuarkusTest
@TestProfile(FediverseProfile.class)
class ReplyInboxTest extends InboxTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOSTILE = "<p>Lovely piece <script>alert('x')</script>"
            + "<a href=\"https://elsewhere.example/read\" onclick=\"steal()\">read this</a></p><p>Second <b>line</b></p>";

    @Inject
    Replies replies;

    @Test
    void shouldKeepAReplyForModerationAndShowItSanitisedOnceApproved() {
        Article rivers = fixtures.published("Rivers in spring", "Water.");
        RemoteActor alice = serveWithProfile(new RemoteActor(wireMock, "alice"), "Alice Example");

        alice.post(SHARED_INBOX, create(alice, "/statuses/1", note(alice, "/statuses/1", articleUrl(rivers), HOSTILE)),
                clock.instant()).statusCode(202);
        awaitBackground();

        List<Object[]> stored = rows("select status, author_name, author_handle, author_url, author_actor_id from fediverse_reply");
        assertEquals(1, stored.size());
        assertArrayEquals(new Object[] { "PENDING", "Alice Example", "@alice@localhost", alice.id() + "/profile", alice.id() },
                stored.get(0));
        String page = articlePage(rivers);
        assertFalse(page.contains("Lovely piece"), "nothing is public before approval");
        given().accept("application/activity+json").when().get("/articles/" + rivers.slug).then().statusCode(200)
                .body("replies.totalItems", org.hamcrest.Matchers.equalTo(0));
        assertFalse(page.contains("Replies from the fediverse"));

        Reply reply = replies.list(ReplyStatus.PENDING, 0, 10).get(0);
        replies.moderate(reply.id(), ReplyStatus.APPROVED, "editor");

        String approved = articlePage(rivers);
        String section = approved.substring(approved.indexOf("Replies from the fediverse"));
        assertTrue(section.contains("Lovely piece"), section);
        assertTrue(section.contains("<a href=\"https://elsewhere.example/read\" rel=\"nofollow ugc noopener\">read this</a>"),
                section);
        assertTrue(section.contains("<a href=\"" + alice.id() + "/profile\" rel=\"nofollow ugc noopener\">Alice Example</a>"),
                section);
        assertTrue(section.contains("@alice@localhost"), section);
        assertFalse(section.contains("<script") || section.contains("alert(") || section.contains("onclick")
                || section.contains("<b>"), section);
        // Mastodon reading the article sees the approved reply in its replies collection
        given().accept("application/activity+json").when().get("/articles/" + rivers.slug).then().statusCode(200)
                .body("replies.type", org.hamcrest.Matchers.equalTo("OrderedCollection"))
                .body("replies.totalItems", org.hamcrest.Matchers.equalTo(1))
                .body("replies.orderedItems", org.hamcrest.Matchers.contains(alice.id() + "/statuses/1"));
    }

    @Test
    void shouldTakeRepliesAndLikesOfARepublishedGenerationsObject() {
        Article rivers = fixtures.published("Rivers in spring", "Water.");
        RemoteActor alice = serveWithProfile(new RemoteActor(wireMock, "alice"), "Alice Example");
        // after a withdrawal and a new publication, Mastodon knows the post as <address>#g2
        String second = articleUrl(rivers) + "#g2";

        alice.post(SHARED_INBOX, create(alice, "/statuses/2", note(alice, "/statuses/2", second, "<p>Back again</p>")),
                clock.instant()).statusCode(202);
        alice.post(SHARED_INBOX, activity(alice, "Like", "#likes/2", second), clock.instant()).statusCode(202);
        // an address of ours that is not an article's object is nobody's
        alice.post(SHARED_INBOX, create(alice, "/statuses/3", note(alice, "/statuses/3", articleUrl(rivers) + "#comments",
                "<p>Elsewhere</p>")), clock.instant()).statusCode(202);
        awaitBackground();

        List<Object[]> stored = rows("select article_id, object_id from fediverse_reply");
        assertEquals(1, stored.size());
        assertArrayEquals(new Object[] { (long) rivers.id, alice.id() + "/statuses/2" },
                new Object[] { ((Number) stored.get(0)[0]).longValue(), stored.get(0)[1] });
        assertEquals(1, count("select likes from fediverse_reaction where article_id = " + rivers.id));
    }

    @Test
    void shouldReplaceAnEditedReplyAndModerateItAgain() {
        Article rivers = fixtures.published("Rivers in spring", "Water.");
        RemoteActor alice = new RemoteActor(wireMock, "alice").serve();
        alice.post(SHARED_INBOX, create(alice, "/statuses/2", note(alice, "/statuses/2", articleUrl(rivers), "<p>First take</p>")),
                clock.instant()).statusCode(202);
        awaitBackground();
        Reply reply = replies.list(ReplyStatus.PENDING, 0, 10).get(0);
        replies.moderate(reply.id(), ReplyStatus.APPROVED, "editor");
        assertTrue(articlePage(rivers).contains("First take"));

        alice.post(INBOX, activity(alice, "Update", "/statuses/2#updates/1",
                note(alice, "/statuses/2", articleUrl(rivers), "<p>Second take</p>")), clock.instant()).statusCode(202);
        awaitBackground();

        Reply edited = replies.find(reply.id()).orElseThrow();
        assertEquals(ReplyStatus.PENDING, edited.status(), "an edit is moderated again");
        assertEquals("<p>Second take</p>", edited.contentHtml());
        String page = articlePage(rivers);
        assertFalse(page.contains("First take") || page.contains("Second take"), "neither version is public now");
    }

    @Test
    void shouldShowTheAuthorsNewNameAfterTheyUpdateTheirProfile() throws Exception {
        Article rivers = fixtures.published("Rivers in spring", "Water.");
        RemoteActor alice = serveWithProfile(new RemoteActor(wireMock, "alice"), "Alice Example");
        alice.post(SHARED_INBOX, create(alice, "/statuses/9", note(alice, "/statuses/9", articleUrl(rivers), "<p>Hello</p>")),
                clock.instant()).statusCode(202);
        awaitBackground();
        replies.moderate(replies.list(ReplyStatus.PENDING, 0, 1).get(0).id(), ReplyStatus.APPROVED, "editor");
        assertTrue(articlePage(rivers).contains("Alice Example"));

        String renamed = alice.document(alice.keys.getPublic()).replace("\"type\":\"Person\",",
                "\"type\":\"Person\",\"name\":\"Alice Renamed\",");
        alice.post(SHARED_INBOX, activity(alice, "Update", "#updates/profile", JSON.readTree(renamed)), clock.instant())
                .statusCode(202);
        awaitBackground();
        String page = articlePage(rivers);
        assertTrue(page.contains("Alice Renamed") && !page.contains("Alice Example"), "the cached page was dropped");
    }

    @Test
    void shouldKeepAReplyWithoutItsAuthorsProfileWhenTheirServerDoesNotAnswer() throws Exception {
        Article rivers = fixtures.published("Rivers in spring", "Water.");
        RemoteActor alice = new RemoteActor(wireMock, "alice").serve();
        alice.post(SHARED_INBOX, activity(alice, "Like", "#likes/1", articleUrl(rivers)), clock.instant()).statusCode(202);
        awaitBackground(); // the key is cached now
        wireMock.stubFor(get(urlPathEqualTo("/users/alice")).willReturn(aResponse().withStatus(503)));
        var note = JSON.createObjectNode().put("id", alice.id() + "/statuses/10").put("type", "Note")
                .put("attributedTo", alice.id()).put("inReplyTo", articleUrl(rivers)).put("content", "<p>No date</p>");
        alice.post(SHARED_INBOX, activity(alice, "Create", "/statuses/10/activity", note), clock.instant()).statusCode(202);
        awaitBackground();

        Reply reply = replies.list(ReplyStatus.PENDING, 0, 1).get(0);
        assertEquals(null, reply.authorName());
        assertEquals(null, reply.authorUrl());
        assertEquals(null, reply.publishedAt());
        replies.moderate(reply.id(), ReplyStatus.APPROVED, "editor");
        String page = articlePage(rivers);
        assertTrue(page.contains("Someone on the fediverse") && page.contains("No date"), page);
    }

    @Test
    void shouldDeleteAReplyOnlyWhenItsAuthorAsks() {
        Article rivers = fixtures.published("Rivers in spring", "Water.");
        RemoteActor alice = new RemoteActor(wireMock, "alice").serve();
        RemoteActor mallory = new RemoteActor(wireMock, "mallory").serve();
        String noteId = alice.id() + "/statuses/3";
        alice.post(SHARED_INBOX, create(alice, "/statuses/3", note(alice, "/statuses/3", articleUrl(rivers), "<p>Mine</p>")),
                clock.instant()).statusCode(202);
        awaitBackground();
        replies.moderate(replies.list(ReplyStatus.PENDING, 0, 1).get(0).id(), ReplyStatus.APPROVED, "editor");
        assertTrue(articlePage(rivers).contains("Mine"));

        // another actor cannot delete it, whether by id or with a Tombstone
        mallory.post(SHARED_INBOX, activity(mallory, "Delete", "#delete-1", noteId), clock.instant()).statusCode(202);
        mallory.post(SHARED_INBOX, activity(mallory, "Delete", "#delete-2", Map.of("id", noteId, "type", "Tombstone")),
                clock.instant()).statusCode(202);
        awaitBackground();
        assertEquals(1, count("select count(*) from fediverse_reply"));

        alice.post(SHARED_INBOX, activity(alice, "Delete", "#delete", Map.of("id", noteId, "type", "Tombstone")),
                clock.instant()).statusCode(202);
        awaitBackground();
        assertEquals(0, count("select count(*) from fediverse_reply"));
        assertFalse(articlePage(rivers).contains("Mine"), "the cached page no longer shows it");
    }

    @Test
    void shouldIgnoreNotesThatAreNotRepliesToAnArticleOfOurs() {
        Article rivers = fixtures.published("Rivers in spring", "Water.");
        fixtures.draft("Draft", "Not yet.");
        RemoteActor alice = new RemoteActor(wireMock, "alice").serve();
        RemoteActor bob = new RemoteActor(wireMock, "bob").serve();
        // a reply to someone else's post, to a draft, a Note put in another actor's name, and one far too long
        alice.post(SHARED_INBOX, create(alice, "/statuses/4", note(alice, "/statuses/4", "https://elsewhere.example/notes/1",
                "<p>Hi</p>")), clock.instant()).statusCode(202);
        alice.post(SHARED_INBOX, create(alice, "/statuses/5", note(alice, "/statuses/5",
                FediverseProfile.BASE_URL + "/articles/draft", "<p>Hi</p>")), clock.instant()).statusCode(202);
        Map<String, Object> forged = note(bob, "/statuses/6", articleUrl(rivers), "<p>Words put in Bob's mouth</p>");
        alice.post(SHARED_INBOX, create(alice, "/statuses/6", forged), clock.instant()).statusCode(202);
        alice.post(SHARED_INBOX, create(alice, "/statuses/7", note(alice, "/statuses/7", articleUrl(rivers),
                "<p>" + "a".repeat(20_001) + "</p>")), clock.instant()).statusCode(202);
        awaitBackground();

        assertEquals(0, count("select count(*) from fediverse_reply"));
        assertEquals(4, count("select count(*) from fediverse_inbox_activity"), "each was seen and will not be handled again");
    }

    @Test
    void shouldCountALikeOncePerActorAndTakeItBackOnUndo() {
        Article rivers = fixtures.published("Rivers in spring", "Water.");
        RemoteActor alice = new RemoteActor(wireMock, "alice").serve();
        RemoteActor bob = new RemoteActor(wireMock, "bob").serve();
        alice.post(SHARED_INBOX, activity(alice, "Like", "#likes/1", articleUrl(rivers)), clock.instant()).statusCode(202);
        awaitBackground();
        // the same actor again under new ids: still one like
        alice.post(SHARED_INBOX, activity(alice, "Like", "#likes/2", articleUrl(rivers)), clock.instant()).statusCode(202);
        alice.post(SHARED_INBOX, activity(alice, "Like", "#likes/3", articleUrl(rivers)), clock.instant()).statusCode(202);
        bob.post(SHARED_INBOX, activity(bob, "Like", "#likes/1", articleUrl(rivers)), clock.instant()).statusCode(202);
        bob.post(SHARED_INBOX, activity(bob, "Announce", "#boosts/1", articleUrl(rivers)), clock.instant()).statusCode(202);
        awaitBackground();
        assertCounts(rivers, 2, 1);

        // Mastodon's Undo embeds the Like
        alice.post(SHARED_INBOX, activity(alice, "Undo", "#likes/1/undo",
                Map.of("id", alice.id() + "#likes/1", "type", "Like", "actor", alice.id(), "object", articleUrl(rivers))),
                clock.instant()).statusCode(202);
        // an Undo naming only the boost's id
        bob.post(SHARED_INBOX, activity(bob, "Undo", "#boosts/1/undo", bob.id() + "#boosts/1"), clock.instant())
                .statusCode(202);
        awaitBackground();
        assertCounts(rivers, 1, 0);

        // a deleted actor's likes go with it
        bob.post(SHARED_INBOX, activity(bob, "Delete", "#delete", bob.id()), clock.instant()).statusCode(202);
        awaitBackground();
        assertCounts(rivers, 0, 0);
        assertEquals(0, count("select count(*) from fediverse_reaction_actor"));
    }

    @Test
    void shouldRemoveTheRepliesOfADeletedActor() {
        Article rivers = fixtures.published("Rivers in spring", "Water.");
        RemoteActor alice = new RemoteActor(wireMock, "alice").serve();
        alice.post(SHARED_INBOX, create(alice, "/statuses/8", note(alice, "/statuses/8", articleUrl(rivers), "<p>Bye</p>")),
                clock.instant()).statusCode(202);
        awaitBackground();
        replies.moderate(replies.list(ReplyStatus.PENDING, 0, 1).get(0).id(), ReplyStatus.APPROVED, "editor");
        assertTrue(articlePage(rivers).contains("Bye"));

        alice.post(SHARED_INBOX, activity(alice, "Delete", "#delete", alice.id()), clock.instant()).statusCode(202);
        awaitBackground();
        assertEquals(0, count("select count(*) from fediverse_reply"));
        given().when().get("/articles/" + rivers.slug).then().statusCode(200).body(not(containsString("Bye")));
    }

    private static void assertCounts(Article article, int likes, int announces) {
        List<Object[]> counts = rows("select likes, announces from fediverse_reaction where article_id = " + article.id);
        assertEquals(1, counts.size());
        assertEquals(likes, ((Number) counts.get(0)[0]).intValue(), "likes");
        assertEquals(announces, ((Number) counts.get(0)[1]).intValue(), "boosts");
    }

    static String articlePage(Article article) {
        return given().accept("text/html").when().get("/articles/" + article.slug).then().statusCode(200).extract().asString();
    }

    static String articleUrl(Article article) {
        return FediverseProfile.BASE_URL + "/articles/" + article.slug;
    }

    /** Serves the actor's document with a display name and a profile page, as Mastodon's has. */
    static RemoteActor serveWithProfile(RemoteActor actor, String name) {
        String document = actor.document(actor.keys.getPublic()).replace("\"type\":\"Person\",",
                "\"type\":\"Person\",\"name\":\"" + name + "\",\"url\":\"" + actor.id() + "/profile\",");
        actor.server.stubFor(get(urlPathEqualTo("/users/" + actor.name)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/activity+json").withBody(document)));
        return actor;
    }

    static Map<String, Object> note(RemoteActor author, String path, String inReplyTo, String content) {
        return Map.of("id", author.id() + path, "type", "Note", "attributedTo", author.id(), "inReplyTo", inReplyTo,
                "content", content, "published", "2026-03-01T10:00:00Z",
                "to", List.of("https://www.w3.org/ns/activitystreams#Public"));
    }

    static String create(RemoteActor actor, String path, Map<String, Object> note) {
        return activity(actor, "Create", path + "/activity", note);
    }

    static String activity(RemoteActor actor, String type, String idSuffix, Object object) {
        try {
            return JSON.writeValueAsString(Map.of("@context", "https://www.w3.org/ns/activitystreams",
                    "id", actor.id() + idSuffix, "type", type, "actor", actor.id(), "object", object));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
