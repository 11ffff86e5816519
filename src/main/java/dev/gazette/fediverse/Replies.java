package dev.gazette.fediverse;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;

import dev.gazette.article.web.ArticleResponses;
import dev.gazette.common.error.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The replies received from the fediverse ({@code fediverse_reply}) and their moderation: each arrives pending, and
 * only an approved one is shown under its article. Approving, rejecting or deleting one drops the article's cached
 * page ({@link ArticleResponses.Changed}).
 */
@ApplicationScoped
public class Replies {

    private static final String SELECT = """
            select r.id, r.article_id, a.slug, a.title, r.author_actor_id, r.author_name, r.author_handle, r.author_url,
                r.content_html, r.published_at, r.received_at, r.status, r.moderated_by, r.moderated_at
            from fediverse_reply r join article a on a.id = r.article_id""";

    private final EntityManager em;
    private final Event<ArticleResponses.Changed> changed;
    private final Clock clock;

    Replies(EntityManager em, Event<ArticleResponses.Changed> changed, Clock clock) {
        this.em = em;
        this.changed = changed;
        this.clock = clock;
    }

    /** Replies in one status, newest first. */
    public List<Reply> list(ReplyStatus status, int offset, int limit) {
        return QuarkusTransaction.joiningExisting().call(() -> rows(em.createNativeQuery(SELECT
                + " where r.status = :status order by r.received_at desc, r.id desc")
                .setParameter("status", status.name()).setFirstResult(Math.max(0, offset))
                .setMaxResults(Math.max(0, Math.min(limit, 500))).getResultList()));
    }

    /** How many replies are in each status (every status present, zero when none). */
    public Map<ReplyStatus, Long> counts() {
        Map<ReplyStatus, Long> counts = new EnumMap<>(ReplyStatus.class);
        for (ReplyStatus status : ReplyStatus.values()) {
            counts.put(status, 0L);
        }
        QuarkusTransaction.joiningExisting().run(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("select status, count(*) from fediverse_reply group by status")
                    .getResultList();
            rows.forEach(r -> counts.put(ReplyStatus.valueOf((String) r[0]), ((Number) r[1]).longValue()));
        });
        return counts;
    }

    public Optional<Reply> find(long id) {
        return QuarkusTransaction.joiningExisting().call(() -> rows(em.createNativeQuery(SELECT + " where r.id = :id")
                .setParameter("id", id).getResultList()).stream().findFirst());
    }

    /** Sets a reply's status, recording who did it and when; a 404 problem when there is no such reply. */
    public Reply moderate(long id, ReplyStatus status, String editor) {
        Instant now = clock.instant();
        Reply reply = QuarkusTransaction.joiningExisting().call(() -> {
            int updated = em.createNativeQuery("update fediverse_reply set status = :status, moderated_by = :editor,"
                    + " moderated_at = :now where id = :id").setParameter("status", status.name())
                    .setParameter("editor", editor).setParameter("now", now).setParameter("id", id).executeUpdate();
            if (updated == 0) {
                throw ProblemException.notFound("Reply " + id);
            }
            Reply moderated = find(id).orElseThrow();
            changed.fire(new ArticleResponses.Changed(moderated.articleSlug()));
            return moderated;
        });
        return reply;
    }

    /** Deletes a reply; false when there was none. */
    public boolean delete(long id) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            Optional<Reply> reply = find(id);
            reply.ifPresent(r -> {
                em.createNativeQuery("delete from fediverse_reply where id = :id").setParameter("id", id).executeUpdate();
                changed.fire(new ArticleResponses.Changed(r.articleSlug()));
            });
            return reply.isPresent();
        });
    }

    /** An article's approved replies, oldest first, as shown under it. */
    public List<Reply> approved(long articleId) {
        return QuarkusTransaction.joiningExisting().call(() -> rows(em.createNativeQuery(SELECT
                + " where r.article_id = :article and r.status = 'APPROVED'"
                + " order by coalesce(r.published_at, r.received_at), r.id").setParameter("article", articleId)
                .getResultList()));
    }

    @SuppressWarnings("unchecked")
    private static List<Reply> rows(List<?> rows) {
        return ((List<Object[]>) rows).stream().map(r -> new Reply(((Number) r[0]).longValue(), ((Number) r[1]).longValue(),
                (String) r[2], (String) r[3], (String) r[4], (String) r[5], (String) r[6], (String) r[7], (String) r[8],
                instant(r[9]), instant(r[10]), ReplyStatus.valueOf((String) r[11]), (String) r[12], instant(r[13])))
                .toList();
    }

    static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        return ((Timestamp) value).toInstant();
    }
}
