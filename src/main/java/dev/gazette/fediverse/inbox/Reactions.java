package dev.gazette.fediverse.inbox;

import java.time.Instant;
import java.util.Locale;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;

import dev.gazette.fediverse.Federation;

/**
 * Likes and boosts ({@code Announce}) of the publication's articles: one row per article, actor and kind in
 * {@code fediverse_reaction_actor}, so an actor sending the same like again under a new id counts once, and the
 * per-article counts in {@code fediverse_reaction} changed in the same statement. An {@code Undo} of a like or boost,
 * or a {@code Delete} of the actor, takes it off the count. Joins the caller's transaction.
 */
@Singleton
class Reactions {

    // xmax = 0 only for a row this statement inserted: a repeated like updates the row's activity id and counts nothing
    private static final String ADD = """
            with added as (
                insert into fediverse_reaction_actor (article_id, actor_id, kind, activity_id, created_at)
                select a.id, :actor, :kind, :activity, :now from article a where a.slug = :slug and a.status = 'PUBLISHED'
                on conflict (article_id, actor_id, kind) do update set activity_id = excluded.activity_id
                returning article_id, kind, (xmax = 0) as inserted)
            insert into fediverse_reaction (article_id, likes, announces)
            select article_id, case when kind = 'LIKE' then 1 else 0 end, case when kind = 'ANNOUNCE' then 1 else 0 end
            from added where inserted
            on conflict (article_id) do update set likes = fediverse_reaction.likes + excluded.likes,
                announces = fediverse_reaction.announces + excluded.announces""";
    // the counts never go below zero: likes counted before per-actor rows existed have no row to undo
    private static final String REMOVE = """
            with removed as (delete from fediverse_reaction_actor where actor_id = :actor and (%s)
                returning article_id, kind),
            per_article as (select article_id, count(*) filter (where kind = 'LIKE') as likes,
                count(*) filter (where kind = 'ANNOUNCE') as announces from removed group by article_id)
            update fediverse_reaction r set likes = greatest(0, r.likes - p.likes),
                announces = greatest(0, r.announces - p.announces)
            from per_article p where r.article_id = p.article_id""";

    private final Federation federation;
    private final EntityManager em;

    Reactions(Federation federation, EntityManager em) {
        this.federation = federation;
        this.em = em;
    }

    /** Counts a {@code Like} or {@code Announce} of {@code object}, when it is one of our published articles. */
    void add(String type, String object, String actor, String activityId, Instant now) {
        String slug = slug(object);
        if (slug == null) {
            return;
        }
        em.createNativeQuery(ADD).setParameter("actor", actor).setParameter("kind", kind(type))
                .setParameter("activity", activityId).setParameter("now", now).setParameter("slug", slug).executeUpdate();
    }

    /**
     * Takes back the reaction an {@code Undo} names: by the undone activity's id, or, when the Undo embeds it, by its
     * kind and article (the actor may have liked again under another id).
     */
    void undo(String actor, String undoneId, String type, String object) {
        String slug = slug(object);
        boolean byArticle = slug != null && (type.equals("Like") || type.equals("Announce"));
        var query = em.createNativeQuery(REMOVE.formatted(byArticle
                ? "activity_id = :undone or kind = :kind and article_id in (select id from article where slug = :slug)"
                : "activity_id = :undone"))
                .setParameter("actor", actor).setParameter("undone", undoneId == null ? "" : undoneId);
        if (byArticle) {
            query.setParameter("kind", kind(type)).setParameter("slug", slug);
        }
        query.executeUpdate();
    }

    /** Takes back every reaction of an actor that was deleted. */
    void removeActor(String actor) {
        em.createNativeQuery(REMOVE.formatted("true")).setParameter("actor", actor).executeUpdate();
    }

    private String slug(String object) {
        return federation.articleSlug(object);
    }

    private static String kind(String type) {
        return type.equals("Like") ? "LIKE" : type.toUpperCase(Locale.ROOT);
    }
}
