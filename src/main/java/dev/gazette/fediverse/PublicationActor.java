package dev.gazette.fediverse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.gazette.article.Article;
import dev.gazette.article.ArticleStatus;
import dev.gazette.common.config.SiteConfig;
import dev.gazette.common.error.ProblemException;
import io.quarkus.qute.Escaper;

/**
 * The publication as an ActivityPub actor, and its collections. The actor is a {@code Person}, as Ghost's are:
 * Mastodon labels a {@code Service} "automated", which an editor-run publication is not, and every fediverse server
 * accepts a {@code Person}. The outbox lists the published articles as {@code Create} activities, newest first. The
 * followers collection gives only the number of followers, not who they are (as Mastodon does for an account that hides
 * its followers); the following collection is empty.
 */
@ApplicationScoped
public class PublicationActor {

    static final Escaper HTML = Escaper.builder().add('"', "&quot;").add('\'', "&#39;").add('&', "&amp;")
            .add('<', "&lt;").add('>', "&gt;").build();

    private final Federation federation;
    private final ActorKeys keys;
    private final ArticleObjects articles;
    private final SiteConfig site;
    private final Followers followers;

    PublicationActor(Federation federation, ActorKeys keys, ArticleObjects articles, SiteConfig site, Followers followers) {
        this.federation = federation;
        this.keys = keys;
        this.articles = articles;
        this.site = site;
        this.followers = followers;
    }

    public Map<String, Object> actor() {
        federation.requireEnabled();
        ActorKeys.ActorKey key = keys.current(ActorKeys.PUBLICATION);
        Map<String, Object> actor = new LinkedHashMap<>();
        actor.put("@context", ActivityStreams.ACTOR_CONTEXT);
        actor.put("id", federation.actorId());
        actor.put("type", "Person");
        actor.put("preferredUsername", federation.account());
        actor.put("name", site.name());
        actor.put("summary", "<p>" + HTML.escape(site.description()) + "</p>");
        actor.put("url", federation.profileUrl());
        actor.put("inbox", federation.inbox());
        actor.put("outbox", federation.outbox());
        actor.put("followers", federation.followers());
        actor.put("following", federation.following());
        actor.put("endpoints", Map.of("sharedInbox", federation.sharedInbox()));
        actor.put("manuallyApprovesFollowers", false);
        actor.put("discoverable", true);
        actor.put("indexable", true);
        // the account's age is its first key's: a rotation does not make it look new
        actor.put("published", ActivityStreams.time(keys.history(ActorKeys.PUBLICATION).stream()
                .map(ActorKeys.KeyRecord::createdAt).min(java.util.Comparator.naturalOrder()).orElse(key.createdAt())));
        federation.iconUrl().ifPresent(url -> actor.put("icon", image(url)));
        federation.headerUrl().ifPresent(url -> actor.put("image", image(url)));
        actor.put("publicKey", Map.of("id", federation.keyId(key.keyName()), "owner", federation.actorId(),
                "publicKeyPem", key.publicKeyPem()));
        return actor;
    }

    /** The outbox: its size and first page, or one page of it (numbered from 1). */
    @Transactional
    public Map<String, Object> outbox(String page) {
        federation.requireEnabled();
        long total = Article.count("status", ArticleStatus.PUBLISHED);
        int size = federation.outboxPageSize();
        if (page == null) {
            return collection(federation.outbox(), total, Math.max(1, (total + size - 1) / size));
        }
        int number = pageNumber(page);
        List<Long> ids = Article.find("select a.id from Article a where a.status = ?1 order by a.publishedAt desc, a.id desc",
                ArticleStatus.PUBLISHED).project(Long.class).page(number - 1, size).list();
        List<Object> items = List.<Object>copyOf(articles.creates(Article.withTopics(ids)));
        return page(federation.outbox(), number, items, (long) number * size < total);
    }

    /** Followers: their number only; every page request gets the same collection, without items. */
    public Map<String, Object> followers(String page) {
        federation.requireEnabled();
        if (page != null) {
            pageNumber(page);
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("@context", ActivityStreams.CONTEXT);
        c.put("id", federation.followers());
        c.put("type", "OrderedCollection");
        c.put("totalItems", followers.count());
        return c;
    }

    /** Following: the publication follows no one. */
    public Map<String, Object> following(String page) {
        return empty(federation.following(), page);
    }

    private Map<String, Object> empty(String id, String page) {
        federation.requireEnabled();
        if (page == null) {
            return collection(id, 0, 1);
        }
        return page(id, pageNumber(page), List.of(), false);
    }

    private static Map<String, Object> collection(String id, long total, long pages) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("@context", ActivityStreams.CONTEXT);
        c.put("id", id);
        c.put("type", "OrderedCollection");
        c.put("totalItems", total);
        c.put("first", id + "?page=1");
        c.put("last", id + "?page=" + pages);
        return c;
    }

    private static Map<String, Object> page(String id, int number, List<Object> items, boolean more) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("@context", ActivityStreams.OBJECT_CONTEXT);
        p.put("id", id + "?page=" + number);
        p.put("type", "OrderedCollectionPage");
        p.put("partOf", id);
        p.put("orderedItems", items);
        if (more) {
            p.put("next", id + "?page=" + (number + 1));
        }
        if (number > 1) {
            p.put("prev", id + "?page=" + (number - 1));
        }
        return p;
    }

    private static int pageNumber(String page) {
        try {
            int number = Integer.parseInt(page);
            if (number >= 1 && number <= 100_000) {
                return number;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ProblemException.invalid("page", "must be a page number from 1");
    }

    private static Map<String, Object> image(String url) {
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        String type = lower.endsWith(".png") ? "image/png" : lower.endsWith(".jpg") || lower.endsWith(".jpeg") ? "image/jpeg"
                : lower.endsWith(".webp") ? "image/webp" : null;
        return type == null ? Map.of("type", "Image", "url", url) : Map.of("type", "Image", "mediaType", type, "url", url);
    }
}
