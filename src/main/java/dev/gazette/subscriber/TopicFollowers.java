package dev.gazette.subscriber;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.gazette.article.TopicMerging;

/**
 * The readers who follow each topic, as the editor sees them before renaming, merging or deleting one, and the move
 * of their topic lists when topics are merged. "Readers" are active subscribers who chose the topic themselves;
 * those who follow all topics are counted apart, since no topic change affects them.
 */
@ApplicationScoped
public class TopicFollowers {

    private static final String ACTIVE = "s.status = 'ACTIVE'";

    private final EntityManager em;

    TopicFollowers(EntityManager em) {
        this.em = em;
    }

    /** Active readers per topic. */
    @Transactional
    public Map<Long, Long> byTopic() {
        Map<Long, Long> counts = new HashMap<>();
        @SuppressWarnings("unchecked")
        java.util.List<Object[]> rows = em.createNativeQuery("select st.topic_id, count(*) from subscriber_topic st"
                + " join subscriber s on s.id = st.subscriber_id where " + ACTIVE + " group by st.topic_id").getResultList();
        for (Object[] row : rows) {
            counts.put(((Number) row[0]).longValue(), ((Number) row[1]).longValue());
        }
        return counts;
    }

    /** Active readers who follow every topic, including ones created later. */
    @Transactional
    public long ofAllTopics() {
        return count("select count(*) from subscriber s where " + ACTIVE + " and s.all_topics", Map.of());
    }

    /** Active readers who follow both topics. */
    @Transactional
    public long ofBoth(long a, long b) {
        return count("""
                select count(*) from subscriber s join subscriber_topic x on x.subscriber_id = s.id
                join subscriber_topic y on y.subscriber_id = s.id
                where x.topic_id = :a and y.topic_id = :b and""" + " " + ACTIVE, Map.of("a", a, "b", b));
    }

    /** Active readers for whom this topic is the only one: without it they would be sent nothing. */
    @Transactional
    public long ofOnly(long topic) {
        return count("""
                select count(*) from subscriber s join subscriber_topic x on x.subscriber_id = s.id
                where x.topic_id = :t and not s.all_topics and""" + " " + ACTIVE + """
                 and not exists (select 1 from subscriber_topic o where o.subscriber_id = s.id and o.topic_id <> :t)""",
                Map.of("t", topic));
    }

    /** Every reader (whatever their status) who followed the merged topic follows the remaining one. */
    void onMerge(@Observes TopicMerging merge) {
        merge.copyLinks(em, "subscriber_topic", "subscriber_id");
    }

    private long count(String sql, Map<String, Object> params) {
        var query = em.createNativeQuery(sql);
        params.forEach(query::setParameter);
        return ((Number) query.getSingleResult()).longValue();
    }
}
