package dev.gazette.fediverse;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Followers and delivery ledger rows written straight into the tables, as the inbox and the sender leave them, for
 * tests of what editors see of them.
 */
public final class FediverseRows {

    private FediverseRows() {
    }

    /** A follower on {@code host} that followed at {@code at}, with its server's shared inbox. */
    public static void follower(String host, String name, Instant at) {
        String actor = "https://" + host + "/users/" + name;
        QuarkusTransaction.requiringNew().run(() -> Panache.getEntityManager().createNativeQuery("""
                insert into fediverse_follower (actor_id, inbox, shared_inbox, host, follow_activity_id, accepted_at, created_at)
                values (:actor, :inbox, :shared, :host, :follow, :at, :at)""").setParameter("actor", actor)
                .setParameter("inbox", actor + "/inbox").setParameter("shared", "https://" + host + "/inbox")
                .setParameter("host", host).setParameter("follow", actor + "/follows/1").setParameter("at", at).executeUpdate());
    }

    /**
     * A delivery of an article's Create to {@code host}'s shared inbox, planned at {@code planned}, in {@code status}
     * after {@code attempts}; {@code settled}: when it was delivered (DELIVERED), failed (FAILED) or is tried next.
     */
    public static void delivery(long articleId, String host, String status, int attempts, Instant planned, Instant settled,
            String error) {
        delivery(articleId, 0, host, status, attempts, planned, settled, error);
    }

    /** As above, for the Create of one version of the article (a new one each time it is published again). */
    public static void delivery(long articleId, int version, String host, String status, int attempts, Instant planned,
            Instant settled, String error) {
        QuarkusTransaction.requiringNew().run(() -> Panache.getEntityManager().createNativeQuery("""
                insert into fediverse_delivery (article_id, kind, version, activity_id, inbox, host, status, attempts,
                    next_attempt_at, last_error, delivered_at, created_at)
                values (:article, 'CREATE', :version, :activity, :inbox, :host, :status, :attempts, :next, nullif(:error, ''),
                    case when :status = 'DELIVERED' then cast(:next as timestamptz) end, :planned)""")
                .setParameter("article", articleId).setParameter("version", version)
                .setParameter("activity", "https://news.example.org/articles/a" + articleId + "#create-" + version)
                .setParameter("inbox", "https://" + host + "/inbox").setParameter("host", host).setParameter("status", status)
                .setParameter("attempts", attempts).setParameter("next", settled).setParameter("error", error == null ? "" : error)
                .setParameter("planned", planned).executeUpdate());
    }

    /** A reply to an article from {@code author}'s account, received at {@code at}, in a moderation status. */
    public static void reply(long articleId, String author, String status, Instant at) {
        String note = "https://mastodon.social/users/" + author + "/statuses/" + at.toEpochMilli();
        QuarkusTransaction.requiringNew().run(() -> Panache.getEntityManager().createNativeQuery("""
                insert into fediverse_reply (activity_id, object_id, article_id, author_actor_id, content_html, published_at,
                    received_at, status)
                values (:activity, :note, :article, :author, '<p>Nice.</p>', :at, :at, :status)""")
                .setParameter("activity", note + "/activity").setParameter("note", note).setParameter("article", articleId)
                .setParameter("author", "https://mastodon.social/users/" + author).setParameter("at", at)
                .setParameter("status", status).executeUpdate());
    }
}
