package dev.gazette.article;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import dev.gazette.common.BaseEntity;
import io.quarkus.panache.common.Sort;

/**
 * A subject readers can follow, such as "Climate" or "Local politics".
 */
@Entity
@Table(name = "topic")
public class Topic extends BaseEntity {

    @Column(nullable = false, unique = true, length = 100)
    public String slug;

    @Column(nullable = false, length = 100)
    public String name;

    @Column(length = 1000)
    public String description;

    public static Optional<Topic> findBySlug(String slug) {
        return find("slug", slug).firstResultOptional();
    }

    public static List<Topic> findBySlugs(Collection<String> slugs) {
        return list("slug in ?1", slugs);
    }

    public static List<Topic> listByName() {
        return listAll(Sort.by("name"));
    }
}
