package dev.gazette.fediverse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gazette.article.Article;
import dev.gazette.article.ArticleRenderer;
import dev.gazette.article.ArticleStatus;
import dev.gazette.article.Topic;
import dev.gazette.article.media.MediaUrls;
import dev.gazette.article.web.ActivityRepresentation;
import dev.gazette.article.web.PageCache;
import dev.gazette.common.Text;
import dev.gazette.common.error.Problem;

/**
 * Articles as ActivityStreams {@code Article} objects, at their own page's address (so a URL pasted into Mastodon's
 * search resolves), and the {@code Create} activities that carry them in the outbox and, later, to followers.
 *
 * <p>An article withdrawn and published again is a new generation at the inboxes its Delete reached, and a new object
 * there: a receiver keeps a deleted object's id as gone for good, so generation N ≥ 2 is {@code <article url>#gN} in
 * its Create, Updates and Delete, read off the activity id the delivery was planned with ({@code #create-N},
 * {@code #update-V-gN}, {@code #delete-N}). The article's address and the outbox show the latest generation.
 */
@ApplicationScoped
public class ArticleObjects implements ActivityRepresentation {

    private static final Pattern GENERATION = Pattern.compile("#(?:create-|delete-|update-\\d+-g)(\\d+)$");
    // the latest generation planned anywhere: what a server that fetches the article's address after a republish sees
    private static final String LATEST_GENERATION = """
            select coalesce(max(version), 1) from fediverse_delivery where article_id = :article and kind = 'CREATE'""";
    private static final String LATEST_GENERATIONS = """
            select article_id, max(version) from fediverse_delivery where article_id in (:articles) and kind = 'CREATE'
            group by article_id""";

    private final Federation federation;
    private final Replies replies;
    private final ObjectMapper json;
    private final EntityManager em;

    ArticleObjects(Federation federation, Replies replies, ObjectMapper json, EntityManager em) {
        this.federation = federation;
        this.replies = replies;
        this.json = json;
        this.em = em;
    }

    @Override
    public boolean enabled() {
        return federation.enabled();
    }

    @Override
    public boolean wanted(String accept) {
        return ActivityStreams.wanted(accept);
    }

    @Override
    public String mediaType() {
        return ActivityStreams.MEDIA_TYPE;
    }

    @Override
    public String actorId() {
        return federation.actorId();
    }

    @Override
    @Transactional
    public PageCache.Entry article(String slug) {
        Optional<Article> found = Article.findBySlugWithTopics(slug);
        if (found.isEmpty() || found.get().publishedAt == null
                || found.get().status == ArticleStatus.DRAFT || found.get().status == ArticleStatus.SCHEDULED) {
            return problem(404, "Not Found", "There is no article at this address.", slug);
        }
        if (found.get().status == ArticleStatus.UNPUBLISHED) {
            return problem(410, "Gone", "This article is no longer available.", slug);
        }
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("@context", ActivityStreams.OBJECT_CONTEXT);
        object.putAll(object(found.get(), latestGeneration(found.get())));
        // the approved replies only, as the page shows them; embedded, so a server need not fetch a collection
        List<String> approved = replies.approvedIds(found.get().id);
        Map<String, Object> collection = new LinkedHashMap<>();
        collection.put("type", "OrderedCollection");
        collection.put("totalItems", approved.size());
        collection.put("orderedItems", approved);
        object.put("replies", collection);
        return PageCache.entry(200, write(object), found.get().updatedAt);
    }

    /**
     * The {@code Article} object of one generation, without {@code @context} (an activity embedding it carries the
     * context): the first has the article's address for id, the others an id of their own.
     */
    private Map<String, Object> object(Article a, int generation) {
        String url = federation.articleUrl(a.slug);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", objectId(url, generation));
        o.put("type", "Article");
        o.put("attributedTo", federation.actorId());
        o.put("name", a.title);
        // summary is HTML in ActivityStreams: the plain text is escaped, so "Tom & Jerry <3" reads as written
        o.put("summary", PublicationActor.HTML.escape(a.summary != null ? a.summary
                : Text.truncateAtWord(ArticleRenderer.text(a.bodyHtml), 200)));
        o.put("content", a.bodyHtml);
        o.put("contentMap", Map.of(a.language, a.bodyHtml));
        o.put("mediaType", "text/html");
        o.put("url", url);
        if (a.imageUrl != null) {
            Map<String, Object> image = new LinkedHashMap<>();
            image.put("type", "Image");
            image.put("url", MediaUrls.card(a.imageUrl));
            if (MediaUrls.uploaded(a.imageUrl)) {
                image.put("mediaType", "image/jpeg");
            }
            if (a.imageAlt != null) {
                image.put("name", a.imageAlt);
            }
            o.put("image", image);
        }
        o.put("published", ActivityStreams.time(a.publishedAt));
        // Only a change after publication is an edit: Mastodon shows "edited" for an "updated" later than "published".
        if (a.updatedAt != null && a.updatedAt.getEpochSecond() > a.publishedAt.getEpochSecond()) {
            o.put("updated", ActivityStreams.time(a.updatedAt));
        }
        List<Map<String, Object>> tags = new ArrayList<>();
        for (Topic t : a.topics) {
            tags.add(Map.of("type", "Hashtag", "href", federation.topicUrl(t.slug), "name", "#" + hashtag(t)));
        }
        o.put("tag", tags);
        o.put("to", List.of(ActivityStreams.PUBLIC));
        o.put("cc", List.of(federation.followers()));
        return o;
    }

    /**
     * The {@code Create} activities that announce {@code list}, in its order, each of its article's latest generation
     * (one query for all of them: the outbox lists a page of articles at a time).
     */
    public List<Map<String, Object>> creates(List<Article> list) {
        if (list.isEmpty()) {
            return List.of();
        }
        Map<Long, Integer> generations = new HashMap<>();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(LATEST_GENERATIONS)
                .setParameter("articles", list.stream().map(a -> a.id).toList()).getResultList();
        rows.forEach(r -> generations.put(((Number) r[0]).longValue(), ((Number) r[1]).intValue()));
        return list.stream().map(a -> create(a, generations.getOrDefault(a.id, 1))).toList();
    }

    private Map<String, Object> create(Article a, int generation) {
        Map<String, Object> activity = new LinkedHashMap<>();
        activity.put("id", federation.articleUrl(a.slug) + (generation <= 1 ? "#create" : "#create-" + generation));
        activity.put("type", "Create");
        activity.put("actor", federation.actorId());
        activity.put("published", ActivityStreams.time(a.publishedAt));
        activity.put("to", List.of(ActivityStreams.PUBLIC));
        activity.put("cc", List.of(federation.followers()));
        activity.put("object", object(a, generation));
        return activity;
    }

    /**
     * The {@code Create} (or, for an edit, {@code Update}) sent to followers' inboxes, as JSON with its context, under
     * the id its delivery was planned with.
     */
    public String createDocument(Article a, String activityId, boolean update) {
        Map<String, Object> activity = new LinkedHashMap<>();
        activity.put("@context", ActivityStreams.OBJECT_CONTEXT);
        activity.putAll(create(a, generation(activityId)));
        activity.put("id", activityId);
        if (update) {
            activity.put("type", "Update");
        }
        return write(activity);
    }

    /** The {@code Delete} of a withdrawn article: its id as a {@code Tombstone}, so followers' servers remove their copy. */
    public String deleteDocument(Article a, String activityId) {
        Map<String, Object> activity = new LinkedHashMap<>();
        activity.put("@context", ActivityStreams.CONTEXT);
        activity.put("id", activityId);
        activity.put("type", "Delete");
        activity.put("actor", federation.actorId());
        activity.put("to", List.of(ActivityStreams.PUBLIC));
        activity.put("cc", List.of(federation.followers()));
        activity.put("object", Map.of("id", objectId(federation.articleUrl(a.slug), generation(activityId)),
                "type", "Tombstone"));
        return write(activity);
    }

    /** The generation an activity id was planned for: 1 unless it ends in {@code #create-N}, {@code -gN}, {@code #delete-N}. */
    static int generation(String activityId) {
        Matcher m = GENERATION.matcher(activityId);
        return m.find() ? Integer.parseInt(m.group(1)) : 1;
    }

    private int latestGeneration(Article a) {
        return ((Number) em.createNativeQuery(LATEST_GENERATION).setParameter("article", a.id).getSingleResult()).intValue();
    }

    private static String objectId(String url, int generation) {
        return generation <= 1 ? url : url + "#g" + generation;
    }

    /** A topic's name as a hashtag: words joined and capitalised ("climate change" → ClimateChange), any script. */
    static String hashtag(Topic topic) {
        StringBuilder tag = new StringBuilder();
        for (String word : topic.name.split("[^\\p{L}\\p{N}_]+")) {
            if (!word.isEmpty()) {
                tag.appendCodePoint(Character.toUpperCase(word.codePointAt(0))).append(word.substring(Character.charCount(word.codePointAt(0))));
            }
        }
        return tag.isEmpty() ? topic.slug.replace("-", "") : tag.toString();
    }

    private PageCache.Entry problem(int status, String title, String detail, String slug) {
        return PageCache.entry(status, write(new Problem("about:blank", title, status, detail, "/articles/" + slug, null)), null);
    }

    String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
