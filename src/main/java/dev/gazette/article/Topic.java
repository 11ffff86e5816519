package dev.gazette.article;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import dev.gazette.common.BaseEntity;
import dev.gazette.common.error.Problem;
import io.quarkus.panache.common.Sort;

/**
 * A subject readers can follow, such as "Climate" or "Local politics".
 */
@Entity
@Table(name = "topic")
public class Topic extends BaseEntity {

    static final int MAX_RESOLVED = 200;

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

    /**
     * The topics named by these slugs (trimmed, case-insensitive), ordered by name. Unknown slugs are added to
     * {@code problems} as a violation of the {@code topics} field.
     */
    public static Set<Topic> resolve(Collection<String> slugs, List<Problem.Violation> problems) {
        if (slugs == null || slugs.isEmpty()) {
            return new LinkedHashSet<>();
        }
        Set<String> wanted = slugs.stream().filter(s -> s != null && !s.isBlank())
                .map(s -> s.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toCollection(LinkedHashSet::new));
        if (wanted.size() > MAX_RESOLVED) {
            problems.add(new Problem.Violation("topics", "too many topics"));
            return new LinkedHashSet<>();
        }
        List<Topic> found = wanted.isEmpty() ? List.of() : findBySlugs(wanted);
        Set<String> missing = new TreeSet<>(wanted);
        found.forEach(t -> missing.remove(t.slug));
        if (!missing.isEmpty()) {
            problems.add(new Problem.Violation("topics", "unknown topics: " + String.join(", ", missing)));
        }
        return found.stream().sorted(Comparator.comparing((Topic t) -> t.name))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    public static List<Topic> listByName() {
        return listAll(Sort.by("name"));
    }
}
