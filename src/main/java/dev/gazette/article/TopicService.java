package dev.gazette.article;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.gazette.common.error.ProblemException;

/**
 * Creates, renames and removes topics.
 */
@ApplicationScoped
public class TopicService {

    private final Clock clock;

    TopicService(Clock clock) {
        this.clock = clock;
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
        topic.name = name.trim();
        topic.slug = slug == null || slug.isBlank() ? Slugs.from(topic.name, "topic", 100) : slug.trim();
        checkSlug(topic.slug, null);
        topic.description = description == null || description.isBlank() ? null : description.trim();
        topic.created(clock.instant());
        topic.persist();
        return topic;
    }

    @Transactional
    public Topic update(long id, String name, String slug, String description) {
        Topic topic = Topic.<Topic> findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("Topic " + id));
        if (name != null) {
            topic.name = name.trim();
        }
        if (slug != null && !slug.equals(topic.slug)) {
            checkSlug(slug, topic.id);
            topic.slug = slug;
        }
        if (description != null) {
            topic.description = description.isBlank() ? null : description.trim();
        }
        topic.updatedAt = clock.instant();
        return topic;
    }

    @Transactional
    public void delete(long id) {
        Topic topic = Topic.<Topic> findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("Topic " + id));
        topic.delete();
    }

    private static void checkSlug(String slug, Long self) {
        if (!Slugs.isValid(slug)) {
            throw ProblemException.invalid("slug", "must be lower-case letters and digits separated by dashes");
        }
        Optional<Topic> existing = Topic.findBySlug(slug);
        if (existing.isPresent() && !existing.get().id.equals(self)) {
            throw ProblemException.conflict("slug", "The topic slug " + slug + " is taken.");
        }
    }
}
