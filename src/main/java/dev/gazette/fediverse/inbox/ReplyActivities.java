package dev.gazette.fediverse.inbox;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.event.Event;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gazette.article.web.ArticleResponses;
import dev.gazette.fediverse.FediverseClient;
import dev.gazette.fediverse.Federation;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Replies to the publication's articles: a {@code Create} of a {@code Note} whose {@code inReplyTo} is a published
 * article's URL, written by the activity's actor, is stored pending moderation with its content sanitised and its
 * author's name, handle and profile from the actor's document. An {@code Update} of the Note by its author replaces the
 * content and takes an approved reply back to pending; a {@code Delete} by its author removes it, and leaves a
 * tombstone so a {@code Create} of the same Note handled after it is not stored. Anything else is only recorded as
 * seen.
 */
@Singleton
class ReplyActivities {

    private static final String INSERT = """
            insert into fediverse_reply (activity_id, object_id, article_id, author_actor_id, author_name, author_handle,
                author_url, content_html, published_at, received_at, status)
            select :activity, :object, a.id, :actor, :name, :handle, :url, :content, :published, :now, 'PENDING'
            from article a where a.id = :article and a.status = 'PUBLISHED'
                and not exists (select 1 from fediverse_inbox_tombstone t where t.object_id = :object and t.actor_id = :actor)
            on conflict do nothing""";
    // a Create and a Delete of one Note handled at once by the two workers take turns: otherwise each could miss the
    // other's uncommitted row (the Create no tombstone, the Delete no reply) and a deleted reply would be kept
    private static final String LOCK_NOTE = "select pg_advisory_xact_lock(hashtextextended(:object, 0))";
    // a Delete handled before its Create (the two workers take them out of order) leaves the Note's id here
    private static final String TOMBSTONE = """
            insert into fediverse_inbox_tombstone (object_id, actor_id, deleted_at) values (:object, :actor, :now)
            on conflict do nothing""";

    /** A Note that replies to one of our articles, checked and sanitised. */
    private record Note(String id, long articleId, String contentHtml, Instant published) {
    }

    /** What the reply shows of its author; each part null when unknown. */
    private record Author(String name, String handle, String url) {
    }

    private final Federation federation;
    private final FediverseClient client;
    private final HandledActivities handled;
    private final EntityManager em;
    private final Event<ArticleResponses.Changed> changed;
    private final Clock clock;

    ReplyActivities(Federation federation, FediverseClient client, HandledActivities handled, EntityManager em,
            Event<ArticleResponses.Changed> changed, Clock clock) {
        this.federation = federation;
        this.client = client;
        this.handled = handled;
        this.em = em;
        this.changed = changed;
        this.clock = clock;
    }

    /** A {@code Create}: stores a reply to one of our articles, pending moderation. */
    void create(JsonNode activity, String id, String actor, JsonNode actorDocument) {
        Note note = QuarkusTransaction.requiringNew().call(() -> note(activity.path("object"), actor));
        if (note == null) {
            handled.once(id, () -> { });
            return;
        }
        // fetched before the transaction: no connection is held while another server answers
        Author author = author(actor, actorDocument);
        Instant now = clock.instant();
        handled.once(id, () -> {
            lockNote(note.id());
            int stored = em.createNativeQuery(INSERT).setParameter("activity", id).setParameter("object", note.id())
                    .setParameter("actor", actor).setParameter("name", author.name()).setParameter("handle", author.handle())
                    .setParameter("url", author.url()).setParameter("content", note.contentHtml())
                    .setParameter("published", note.published()).setParameter("now", now)
                    .setParameter("article", note.articleId()).executeUpdate();
            if (stored > 0) {
                Log.infof("Fediverse reply to article %d from %s waits for moderation", note.articleId(), URI.create(actor).getHost());
            }
        });
    }

    /**
     * An {@code Update}: a reply's author changed its text (an approved reply is moderated again), or an actor changed
     * its own profile (its replies show the new name).
     */
    void update(JsonNode activity, String id, String actor) {
        JsonNode object = activity.path("object");
        if (object.isObject() && actor.equals(Inbox.idOf(object)) && object.has("preferredUsername")) {
            Author author = author(actor, object);
            handled.once(id, () -> {
                String where = "r.author_actor_id = :actor";
                var shown = shown(where, null, actor);
                em.createNativeQuery("update fediverse_reply r set author_name = :name, author_handle = :handle,"
                        + " author_url = :url where " + where).setParameter("name", author.name())
                        .setParameter("handle", author.handle()).setParameter("url", author.url())
                        .setParameter("actor", actor).executeUpdate();
                shown.forEach(slug -> changed.fire(new ArticleResponses.Changed(slug)));
            });
            return;
        }
        handled.once(id, () -> {
            Note note = note(object, actor);
            if (note == null) {
                return; // not a reply of ours (an Update of a profile, or of a Note we never took)
            }
            List<?> before = em.createNativeQuery("select r.status, a.slug from fediverse_reply r join article a"
                    + " on a.id = r.article_id where r.object_id = :object and r.author_actor_id = :actor")
                    .setParameter("object", note.id()).setParameter("actor", actor).getResultList();
            if (before.isEmpty()) {
                return;
            }
            em.createNativeQuery("""
                    update fediverse_reply set content_html = :content,
                        status = case when status = 'APPROVED' then 'PENDING' else status end
                    where object_id = :object and author_actor_id = :actor""")
                    .setParameter("content", note.contentHtml()).setParameter("object", note.id())
                    .setParameter("actor", actor).executeUpdate();
            Object[] row = (Object[]) before.get(0);
            if ("APPROVED".equals(row[0])) {
                changed.fire(new ArticleResponses.Changed((String) row[1]));
            }
        });
    }

    /**
     * A {@code Delete} of a Note by its author. Leaves a tombstone for the Note's id, so a {@code Create} of it handled
     * later (out of order) is not stored; only for an id on the sender's own server, since one server's Delete must
     * not keep another server's replies out. Joins the caller's transaction.
     */
    void delete(String objectId, String actor) {
        lockNote(objectId);
        remove("r.object_id = :object and r.author_actor_id = :actor", objectId, actor);
        if (objectId.length() <= 2000 && Follows.httpUrl(objectId) && Follows.sameHost(objectId, actor)) {
            em.createNativeQuery(TOMBSTONE).setParameter("object", objectId).setParameter("actor", actor)
                    .setParameter("now", clock.instant()).executeUpdate();
        }
    }

    private void lockNote(String objectId) {
        em.createNativeQuery(LOCK_NOTE).setParameter("object", objectId).getSingleResult();
    }

    /** Removes every reply of an actor that was deleted. Joins the caller's transaction. */
    void removeActor(String actor) {
        remove("r.author_actor_id = :actor", null, actor);
    }

    private void remove(String where, String objectId, String actor) {
        List<String> shown = shown(where, objectId, actor);
        var delete = em.createNativeQuery("delete from fediverse_reply r where " + where).setParameter("actor", actor);
        if (objectId != null) {
            delete.setParameter("object", objectId);
        }
        delete.executeUpdate();
        shown.forEach(slug -> changed.fire(new ArticleResponses.Changed(slug)));
    }

    /** The articles whose pages show an approved reply matching {@code where}. */
    private List<String> shown(String where, String objectId, String actor) {
        var select = em.createNativeQuery("select distinct a.slug from fediverse_reply r join article a on a.id = r.article_id"
                + " where r.status = 'APPROVED' and " + where).setParameter("actor", actor);
        if (objectId != null) {
            select.setParameter("object", objectId);
        }
        @SuppressWarnings("unchecked")
        List<String> slugs = select.getResultList();
        return slugs;
    }

    /** The Note, when it is one replying to a published article of ours, written by {@code actor}; else null. */
    private Note note(JsonNode object, String actor) {
        if (!object.isObject() || !"Note".equals(object.path("type").asText())) {
            return null;
        }
        String id = Inbox.idOf(object);
        if (id == null || id.length() > 2000 || !Follows.httpUrl(id) || !Follows.sameHost(id, actor)
                || !actor.equals(Inbox.idOf(object.path("attributedTo")))) {
            return null; // a Note may only be put in the name of its author, with an id on the author's server
        }
        // the article's address, or a republished generation's object (<address>#g2)
        String slug = federation.articleSlug(Inbox.idOf(object.path("inReplyTo")));
        if (slug == null) {
            return null;
        }
        List<?> article = em.createNativeQuery("select id from article where slug = :slug and status = 'PUBLISHED'")
                .setParameter("slug", slug).getResultList();
        if (article.isEmpty()) {
            return null;
        }
        String content = object.path("content").isTextual() ? object.path("content").asText() : null;
        if (content == null && object.path("contentMap").isObject() && object.path("contentMap").elements().hasNext()) {
            content = object.path("contentMap").elements().next().asText(null);
        }
        if (content == null || content.length() > ReplyContent.MAX_LENGTH) {
            Log.infof("Fediverse reply %s ignored: no content, or more than %d characters", id, ReplyContent.MAX_LENGTH);
            return null;
        }
        String html = ReplyContent.sanitise(content);
        if (ReplyContent.blank(html)) {
            return null;
        }
        return new Note(id, ((Number) article.get(0)).longValue(), html, time(object.path("published").asText(null)));
    }

    private Author author(String actor, JsonNode actorDocument) {
        JsonNode document = actorDocument;
        if (document == null || !actor.equals(document.path("id").asText(null))) {
            FediverseClient.Fetched fetched = client.get(URI.create(actor));
            document = fetched instanceof FediverseClient.Fetched.Found found && actor.equals(found.document().path("id").asText(null))
                    ? found.document() : null;
        }
        if (document == null) {
            return new Author(null, null, null);
        }
        String username = text(document.path("preferredUsername"), 200);
        String name = text(document.path("name"), 300);
        String handle = username == null ? null : "@" + username + "@" + URI.create(actor).getHost().toLowerCase(Locale.ROOT);
        JsonNode url = document.path("url");
        if (url.isArray()) {
            url = url.path(0);
        }
        String profile = url.isTextual() ? url.asText() : url.path("href").asText(null);
        if (!Follows.httpUrl(profile) || profile.length() > 2000 || !Follows.sameHost(profile, actor)) {
            profile = actor; // Mastodon answers a browser at the actor's id with the profile page
        }
        return new Author(name != null ? name : username, handle, profile);
    }

    private static String text(JsonNode node, int max) {
        if (!node.isTextual() || node.asText().isBlank()) {
            return null;
        }
        String text = node.asText().strip();
        return text.length() > max ? text.substring(0, max) : text;
    }

    private static Instant time(String value) {
        try {
            return value == null ? null : OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
