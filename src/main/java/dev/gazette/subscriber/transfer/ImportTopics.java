package dev.gazette.subscriber.transfer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.gazette.article.Topic;
import dev.gazette.article.TopicService;
import dev.gazette.common.Text;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The topics an import's rows name that do not exist yet: how many rows name each, and, when the import was asked to,
 * the topics it created for them. Used by the parsing thread only. Without creating, a row keeps the topics that exist
 * and the import's page lists the ones that did not.
 */
final class ImportTopics {

    /** A topic created during the import, and its id (to remove it again if the import fails). */
    record Created(String slug, long id) {
    }

    private final Set<String> known;
    private final Function<String, Long> create;
    private final Map<String, Integer> unknownRows = new TreeMap<>();
    private final Map<String, Long> created = new LinkedHashMap<>();
    private final Set<String> refused = new HashSet<>();
    private final Set<String> seenInRow = new HashSet<>();

    /**
     * @param known  the slugs of the topics that exist when the import starts
     * @param create creates a topic for a slug and answers its id, or null when the slug cannot be a topic's; null
     *               when the import does not create topics
     */
    ImportTopics(Set<String> known, Function<String, Long> create) {
        this.known = new HashSet<>(known);
        this.create = create;
    }

    /** Counts the unknown topics of a row ({@code topics}: slugs separated by {@code ;}, lower case), creating them if asked. */
    void check(String topics) {
        if (topics == null) {
            return;
        }
        seenInRow.clear();
        for (String part : topics.split(";")) {
            String slug = part.trim();
            if (slug.isEmpty() || !seenInRow.add(slug)) {
                continue;
            }
            if (created.containsKey(slug)) {
                unknownRows.merge(slug, 1, Integer::sum);
                continue;
            }
            if (known.contains(slug)) {
                continue;
            }
            unknownRows.merge(slug, 1, Integer::sum);
            if (create != null && !refused.contains(slug)) {
                Long id = create.apply(slug);
                if (id == null) {
                    refused.add(slug);
                } else {
                    created.put(slug, id);
                }
            }
        }
    }

    /** The topics created, for removing them when the import fails. */
    List<Created> created() {
        return created.entrySet().stream().map(e -> new Created(e.getKey(), e.getValue())).toList();
    }

    /** Writes the summary in the import's transaction on this connection, so it is kept only if the import is. */
    void save(Connection connection, long importId) throws SQLException {
        if (unknownRows.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(ImportStatements.UNKNOWN_TOPIC)) {
            for (Map.Entry<String, Integer> e : unknownRows.entrySet()) {
                insert.setLong(1, importId);
                insert.setString(2, e.getKey().length() <= 100 ? e.getKey() : e.getKey().substring(0, 100));
                insert.setInt(3, e.getValue());
                insert.setBoolean(4, created.containsKey(e.getKey()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** The topics that exist now; {@code create}: whether the import creates the ones that do not. */
    static ImportTopics start(TopicService topics, boolean create) {
        Set<String> known = QuarkusTransaction.requiringNew().call(() -> Topic.<Topic> listAll().stream().map(t -> t.slug)
                .collect(Collectors.toSet()));
        return new ImportTopics(known, create ? slug -> create(topics, slug) : null);
    }

    /** Creates a topic the file names (its name made from the slug); null when the slug cannot be a topic's. */
    private static Long create(TopicService topics, String slug) {
        try {
            return topics.create(name(slug), slug, null).id;
        } catch (RuntimeException e) {
            Log.infof("An import could not create the topic %s: %s", Text.cut(ImportRows.printable(slug), 100), e.getMessage());
            return null;
        }
    }

    /** "climate-change" reads "Climate change". */
    static String name(String slug) {
        String words = slug.replace('-', ' ');
        return Text.cut(Character.toUpperCase(words.charAt(0)) + words.substring(1), 100);
    }

    /** A failed import keeps nothing: the topics it created go too. */
    void removeCreated(TopicService topics, long importId) {
        for (Created topic : created()) {
            try {
                topics.delete(topic.id());
            } catch (RuntimeException e) {
                Log.warnf("Import %d failed, and the topic %s it created could not be removed: %s", importId, topic.slug(),
                        e.getMessage());
            }
        }
    }
}
