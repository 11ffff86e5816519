package dev.gazette.subscriber;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.gazette.common.EmailAddresses;
import dev.gazette.common.Text;
import io.quarkus.panache.common.Parameters;

/**
 * Editors' view of readers: search, counts and history.
 */
@ApplicationScoped
public class SubscriberDirectory {

    private final EntityManager em;

    SubscriberDirectory(EntityManager em) {
        this.em = em;
    }

    /** Search filters; null means any. {@code source} matches the tracked-link code, utm_source or consent source. */
    public record Filter(String emailPrefix, SubscriberStatus status, String topic, String source) {
    }

    /** A page of readers and the cursor of the next. */
    public record Page(List<Subscriber> items, Long nextCursor) {
    }

    /** The readers a search finds, all pages together. */
    @Transactional
    public long count(Filter filter) {
        StringBuilder q = new StringBuilder("from Subscriber s where 1 = 1");
        Parameters p = where(filter, q);
        return Subscriber.count(q.toString(), p);
    }

    @Transactional
    public Page search(Filter filter, Long after, int limit) {
        StringBuilder q = new StringBuilder("select s.id from Subscriber s where 1 = 1");
        Parameters p = where(filter, q);
        if (after != null) {
            q.append(" and s.id < :after");
            p.and("after", after);
        }
        q.append(" order by s.id desc");
        List<Long> ids = Subscriber.find(q.toString(), p).project(Long.class).page(0, limit + 1).list();
        Long next = null;
        if (ids.size() > limit) {
            ids = ids.subList(0, limit);
            next = ids.get(limit - 1);
        }
        if (ids.isEmpty()) {
            return new Page(List.of(), null);
        }
        Map<Long, Subscriber> byId = new LinkedHashMap<>();
        for (Subscriber s : Subscriber.<Subscriber> list("select distinct s from Subscriber s left join fetch s.topics where s.id in ?1", ids)) {
            byId.put(s.id, s);
        }
        return new Page(ids.stream().map(byId::get).toList(), next);
    }

    private static Parameters where(Filter filter, StringBuilder q) {
        Parameters p = new Parameters();
        if (filter.emailPrefix() != null && !filter.emailPrefix().isBlank()) {
            q.append(" and s.emailKey like :prefix escape '!'");
            p.and("prefix", Text.likeEscape(filter.emailPrefix().trim().toLowerCase(Locale.ROOT)) + "%");
        }
        if (filter.status() != null) {
            q.append(" and s.status = :status");
            p.and("status", filter.status());
        }
        if (filter.topic() != null) {
            q.append(" and (s.allTopics = true or exists (select 1 from Subscriber x join x.topics t where x.id = s.id and t.slug = :topic))");
            p.and("topic", filter.topic());
        }
        if (filter.source() != null && !filter.source().isBlank()) {
            q.append(" and (s.sourceRef = :source or lower(s.sourceUtmSource) = lower(:source) or str(s.consentSource) = upper(:source))");
            p.and("source", filter.source().trim());
        }
        return p;
    }

    /** Readers by status, and active readers per topic (those following all topics count for every topic). */
    @Transactional
    public Map<String, Object> counts() {
        Map<String, Long> byStatus = new LinkedHashMap<>();
        for (SubscriberStatus status : SubscriberStatus.values()) {
            byStatus.put(status.name(), 0L);
        }
        for (Object[] row : em.createQuery("select s.status, count(s) from Subscriber s group by s.status", Object[].class)
                .getResultList()) {
            byStatus.put(row[0].toString(), (Long) row[1]);
        }
        long allTopics = em.createQuery("select count(s) from Subscriber s where s.status = :a and s.allTopics = true", Long.class)
                .setParameter("a", SubscriberStatus.ACTIVE).getSingleResult();
        Map<String, Long> byTopic = new LinkedHashMap<>();
        for (Object[] row : em.createQuery("""
                select t.slug, count(s) from Topic t left join Subscriber s on s.status = :a and s.allTopics = false
                    and t member of s.topics group by t.slug, t.name order by t.name""", Object[].class)
                .setParameter("a", SubscriberStatus.ACTIVE).getResultList()) {
            byTopic.put((String) row[0], (Long) row[1] + allTopics);
        }
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("byStatus", byStatus);
        counts.put("activeByTopic", byTopic);
        counts.put("activeFollowingAllTopics", allTopics);
        return counts;
    }

    @Transactional
    public Optional<Subscriber> find(long id) {
        return Subscriber.findWithTopics(id);
    }

    /** The reader with this address (in any case), if any. */
    @Transactional
    public Optional<Subscriber> findByAddress(String address) {
        return EmailAddresses.normalise(address).map(EmailAddresses::key)
                .flatMap(Subscriber::findByEmailKey);
    }

    @Transactional
    public List<SubscriberEvent> history(long id) {
        return SubscriberEvent.history(id);
    }
}
