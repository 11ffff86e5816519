package dev.gazette.article;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.gazette.common.error.ProblemException;

/**
 * Creates, renames, merges and removes topics. Deleting a topic takes it off its articles (which stay) and out of
 * every reader's, newsletter's and channel's list; merging gives the other topic to everything that had this one.
 */
@ApplicationScoped
public class TopicService {

    static final int MAX_NAME = 100;

    private final Clock clock;
    private final EntityManager em;
    private final Event<TopicMerging> merging;
    private final Event<TopicsChanged> changed;

    TopicService(Clock clock, EntityManager em, Event<TopicMerging> merging, Event<TopicsChanged> changed) {
        this.clock = clock;
        this.em = em;
        this.merging = merging;
        this.changed = changed;
    }

    /** How many articles have each topic. */
    public record ArticleCounts(Map<Long, Long> byTopic) {
        public long of(long topicId) {
            return byTopic.getOrDefault(topicId, 0L);
        }
    }

    @Transactional
    public List<Topic> list() {
        return Topic.listByName();
    }

    @Transactional
    public Optional<Topic> find(long id) {
        return Topic.findByIdOptional(id);
    }

    @Transactional
    public Topic create(String name, String slug, String description) {
        Topic topic = new Topic();
        topic.name = checkName(name);
        topic.slug = slug == null || slug.isBlank() ? Slugs.from(topic.name, "topic", 100) : slug.trim();
        checkSlug(topic.slug, null);
        topic.description = description == null || description.isBlank() ? null : description.trim();
        topic.created(clock.instant());
        topic.persist();
        changed.fire(new TopicsChanged());
        return topic;
    }

    @Transactional
    public Topic update(long id, String name, String slug, String description) {
        Topic topic = require(id);
        if (name != null) {
            topic.name = checkName(name);
        }
        if (slug != null && !slug.equals(topic.slug)) {
            checkSlug(slug, topic.id);
            topic.slug = slug;
        }
        if (description != null) {
            topic.description = description.isBlank() ? null : description.trim();
        }
        topic.updatedAt = clock.instant();
        changed.fire(new TopicsChanged());
        return topic;
    }

    /** Removes the topic: its articles stay, without it; readers, newsletters and channels no longer list it. */
    @Transactional
    public void delete(long id) {
        require(id).delete();
        changed.fire(new TopicsChanged());
    }

    /**
     * Merges {@code fromId} into {@code intoId}: every article, feed, reader, newsletter and channel that had the first
     * has the second (once, if it had both), and the first is removed. Its page address stops working.
     *
     * @return the topic that remains
     */
    @Transactional
    public Topic merge(long fromId, long intoId) {
        if (fromId == intoId) {
            throw ProblemException.invalid("into", "must be another topic than the one merged");
        }
        Topic from = require(fromId);
        Topic into = Topic.<Topic> findByIdOptional(intoId)
                .orElseThrow(() -> ProblemException.invalid("into", "no topic has id " + intoId));
        em.flush();
        TopicMerging merge = new TopicMerging(from.id, into.id);
        merge.copyLinks(em, "article_topic", "article_id");
        merge.copyLinks(em, "feed_source_topic", "feed_source_id");
        merging.fire(merge);
        // The database cascades the removal to the join tables; entities loaded earlier must not write them back.
        em.createNativeQuery("delete from topic where id = :id").setParameter("id", from.id).executeUpdate();
        em.clear();
        changed.fire(new TopicsChanged());
        return Topic.findById(into.id);
    }

    /** Articles per topic, whatever their status. */
    @Transactional
    public ArticleCounts articleCounts() {
        Map<Long, Long> counts = new HashMap<>();
        for (Object[] row : em.createQuery("select t.id, count(a) from Article a join a.topics t group by t.id", Object[].class)
                .getResultList()) {
            counts.put((Long) row[0], (Long) row[1]);
        }
        return new ArticleCounts(counts);
    }

    /** Articles that have both topics. */
    @Transactional
    public long articlesWithBoth(long a, long b) {
        return ((Number) em.createNativeQuery("""
                select count(*) from article_topic x join article_topic y on y.article_id = x.article_id
                where x.topic_id = :a and y.topic_id = :b""").setParameter("a", a).setParameter("b", b)
                .getSingleResult()).longValue();
    }

    private static Topic require(long id) {
        return Topic.<Topic> findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("Topic " + id));
    }

    private static String checkName(String name) {
        if (name == null || name.isBlank()) {
            throw ProblemException.invalid("name", "must not be blank");
        }
        if (name.trim().length() > MAX_NAME) {
            throw ProblemException.invalid("name", "must be at most " + MAX_NAME + " characters");
        }
        return name.trim();
    }

    private static void checkSlug(String slug, Long self) {
        if (!Slugs.isValid(slug) || slug.length() > 100) {
            throw ProblemException.invalid("slug", "must be lower-case letters and digits separated by dashes");
        }
        Optional<Topic> existing = Topic.findBySlug(slug);
        if (existing.isPresent() && !existing.get().id.equals(self)) {
            throw ProblemException.conflict("slug", "The topic slug " + slug + " is taken.");
        }
    }
}
