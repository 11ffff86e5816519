package dev.gazette.social;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import dev.gazette.common.Text;
import dev.gazette.social.spi.PublishResult;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The distribution ledger's state changes, in SQL. Rows are created set-based ({@code INSERT ... SELECT ... ON
 * CONFLICT DO NOTHING} against the unique (channel, article) and (channel, issue) indexes), claimed with
 * {@code FOR UPDATE SKIP LOCKED} so several instances never take the same row, and marked PUBLISHING in a committed
 * transaction before any request leaves. Each method runs in its own transaction.
 */
@ApplicationScoped
public class DistributionLedger {

    private static final String CREATE_FOR_ARTICLES = """
            insert into distribution (channel_id, kind, article_id, status, not_before, created_at, updated_at)
            select c.id, 'ARTICLE', a.id, 'PENDING', a.published_at + make_interval(mins => c.delay_minutes), :now, :now
            from article a
            join channel c on c.auto_post and c.status <> 'DISABLED' and a.published_at >= c.created_at
            where a.status = 'PUBLISHED' and a.published_at >= :since and (a.id = :article or :any)
              and (c.all_topics or exists (select 1 from channel_topic ct
                    join article_topic at on at.topic_id = ct.topic_id
                    where ct.channel_id = c.id and at.article_id = a.id))
            order by a.published_at, c.id
            on conflict do nothing""";

    private static final String CREATE_FOR_ISSUES = """
            insert into distribution (channel_id, kind, issue_id, status, not_before, created_at, updated_at)
            select c.id, 'DIGEST_ANNOUNCEMENT', i.id, 'PENDING', i.completed_at + make_interval(mins => c.delay_minutes),
                   :now, :now
            from digest_issue i
            join channel c on c.announce_digests and c.status <> 'DISABLED' and i.completed_at >= c.created_at
            where i.status in ('DONE', 'DONE_WITH_FAILURES') and i.completed_at >= :since
              and exists (select 1 from delivery d where d.issue_id = i.id and d.status = 'SENT')
            order by i.completed_at, c.id
            on conflict do nothing""";

    private static final String CREATE_ON = """
            insert into distribution (channel_id, kind, %s, status, not_before, created_at, updated_at)
            select c.id, :kind, :subject, 'PENDING', :now, :now, :now from channel c
            where c.id in (:channels) order by c.id
            on conflict do nothing""";

    private static final String END_PAUSES = """
            update channel set status = 'ACTIVE', paused_until = null, status_reason = null, updated_at = :now
            where status = 'PAUSED' and paused_until <= :now""";

    private static final String CLAIM = """
            update distribution d set status = 'PUBLISHING', claimed_by = :instance, claimed_at = :now,
                attempts = d.attempts + 1, updated_at = :now
            from (select d2.id from distribution d2
                  join channel c on c.id = d2.channel_id
                  where d2.status in ('PENDING', 'RETRY') and d2.not_before <= :now
                    and (c.status = 'ACTIVE' or (c.status = 'PAUSED' and c.paused_until <= :now))
                  order by d2.not_before, d2.id
                  limit :limit
                  for update of d2 skip locked) due, channel c
            where d.id = due.id and c.id = d.channel_id
            returning d.id, d.channel_id, c.network, d.attempts""";

    private static final String INTERRUPTED = """
            select d.id, c.network, d.claimed_at from distribution d join channel c on c.id = d.channel_id
            where d.status = 'PUBLISHING' and d.claimed_at < :cutoff order by d.id""";

    private static final String SETTLE_INTERRUPTED = """
            update distribution set status = :status, not_before = :now, claimed_by = null, error = :error,
                updated_at = :now
            where id = :id and status = 'PUBLISHING' and claimed_at = :claimedAt""";

    private static final String RELEASE = """
            update distribution set status = case when attempts <= 1 then 'PENDING' else 'RETRY' end,
                attempts = attempts - 1, not_before = :notBefore, claimed_by = null, updated_at = :now
            where id = :id and status = 'PUBLISHING' and claimed_by = :instance""";

    private static final String PREPARED = """
            update distribution set post_text = :text, link_id = :link, updated_at = :now where id = :id""";

    private static final String MARK_PUBLISHED = """
            update distribution set status = 'PUBLISHED', external_id = :externalId, external_url = :url,
                published_at = :now, error = null, claimed_by = null, updated_at = :now
            where id = :id and status = 'PUBLISHING' and claimed_by = :instance""";

    /** A post got through: a channel paused by a rate limit is active again. */
    private static final String RESUME_CHANNEL = """
            update channel set status = 'ACTIVE', paused_until = null, status_reason = null, updated_at = :now
            where id = :id and status = 'PAUSED'""";

    private static final String NEEDS_REAUTH = """
            update channel set status = 'NEEDS_REAUTH', status_reason = :reason, paused_until = null,
                updated_at = :now where id = :id and status <> 'DISABLED'""";

    /** Any outcome but published: the next state, when to try again, the error; a refused attempt is refunded. */
    private static final String SETTLE = """
            update distribution set status = :status, not_before = :notBefore, error = :error, claimed_by = null,
                attempts = attempts - :refund, updated_at = :now
            where id = :id and status = 'PUBLISHING' and claimed_by = :instance""";

    private static final String PAUSE = """
            update channel set status = 'PAUSED', paused_until = :until, status_reason = :reason, updated_at = :now
            where id = :id and status in ('ACTIVE', 'PAUSED')""";

    static final int MAX_ERROR = 1000;

    private final EntityManager em;

    DistributionLedger(EntityManager em) {
        this.em = em;
    }

    /** A claimed row: what the publisher needs to post it. */
    public record Claim(long id, long channelId, Network network, int attempts) {
    }

    /** A row found PUBLISHING after its lease ran out. */
    public record Interrupted(long id, Network network, Instant claimedAt) {
    }

    /**
     * Creates the posts of published articles that have none yet on their channels (auto-post on, not disabled,
     * topics matching, created before the article was published). Used on publication and as a catch-up after a
     * crash between the two.
     *
     * @param articleId one article, or null for every article published since {@code since}
     */
    public int createForArticles(Long articleId, Instant since, Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(CREATE_FOR_ARTICLES)
                .setParameter("now", now).setParameter("since", since)
                .setParameter("article", articleId == null ? -1L : articleId).setParameter("any", articleId == null)
                .executeUpdate());
    }

    /** Creates the announcements of digest issues sent since {@code since} on channels that announce digests. */
    public int createForIssues(Instant since, Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(CREATE_FOR_ISSUES)
                .setParameter("now", now).setParameter("since", since).executeUpdate());
    }

    /** Creates posts of one article or issue on the given channels (an editor's request), whatever their rules. */
    public int createOn(DistributionKind kind, long subjectId, List<Long> channelIds, Instant now) {
        String column = kind == DistributionKind.ARTICLE ? "article_id" : "issue_id";
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(CREATE_ON.formatted(column))
                .setParameter("kind", kind.name()).setParameter("subject", subjectId).setParameter("channels", channelIds)
                .setParameter("now", now).executeUpdate());
    }

    /** Ends the pauses whose time has come, so channels show ACTIVE again; returns how many. */
    public int endPauses(Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(END_PAUSES).setParameter("now", now).executeUpdate());
    }

    /**
     * Claims due rows of channels that can post (active, or paused until a time now past), oldest first, at most
     * {@code limit}; they become PUBLISHING under this instance's lease.
     */
    @SuppressWarnings("unchecked")
    public List<Claim> claim(String instance, Instant now, int limit) {
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(CLAIM)
                .setParameter("instance", instance).setParameter("now", now).setParameter("limit", limit)
                .getResultList());
        return rows.stream().map(r -> new Claim(((Number) r[0]).longValue(), ((Number) r[1]).longValue(),
                Network.valueOf((String) r[2]), ((Number) r[3]).intValue())).toList();
    }

    /** Rows left PUBLISHING longer than the lease: their publisher stopped mid-call. */
    @SuppressWarnings("unchecked")
    public List<Interrupted> interrupted(Instant now, Duration lease) {
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(INTERRUPTED)
                .setParameter("cutoff", now.minus(lease)).getResultList());
        return rows.stream().map(r -> new Interrupted(((Number) r[0]).longValue(), Network.valueOf((String) r[1]),
                r[2] instanceof java.sql.Timestamp t ? t.toInstant() : (Instant) r[2])).toList();
    }

    /** An interrupted row, settled: UNCONFIRMED, or back to RETRY where the network deduplicates by key. */
    public boolean settleInterrupted(long id, Instant claimedAt, boolean retry, String reason, Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(SETTLE_INTERRUPTED)
                .setParameter("status", retry ? "RETRY" : "UNCONFIRMED").setParameter("now", now)
                .setParameter("error", Text.truncate(reason, MAX_ERROR)).setParameter("id", id)
                .setParameter("claimedAt", claimedAt).executeUpdate() == 1);
    }

    /** Gives a claimed row back untouched (the channel cannot post now): it keeps its place and its attempt count. */
    public void release(long id, Instant notBefore, String instance, Instant now) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(RELEASE)
                .setParameter("notBefore", notBefore).setParameter("now", now).setParameter("id", id)
                .setParameter("instance", instance).executeUpdate());
    }

    /** Stores the text and link of the first attempt; later attempts send the same. */
    public void prepared(long id, String text, long linkId, Instant now) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(PREPARED)
                .setParameter("text", text).setParameter("link", linkId).setParameter("now", now).setParameter("id", id)
                .executeUpdate());
    }

    /**
     * Records what the network answered. Returns false if the row was no longer this instance's (its lease ran out
     * and another instance settled it).
     *
     * @param backoff when to try again after a server error with no time given
     */
    public boolean record(Claim claim, String instance, PublishResult result, Instant now, Instant backoff, int maxAttempts) {
        return QuarkusTransaction.requiringNew().call(() -> {
            String status;
            Instant notBefore = now;
            String error = null;
            boolean refund = false;
            if (result instanceof PublishResult.Published p) {
                int n = em.createNativeQuery(MARK_PUBLISHED)
                        .setParameter("externalId", p.externalId() == null ? null : Text.truncate(p.externalId(), 500))
                        .setParameter("url", p.url() == null ? null : Text.truncate(p.url(), 2000))
                        .setParameter("now", now).setParameter("id", claim.id()).setParameter("instance", instance)
                        .executeUpdate();
                if (n == 1) {
                    em.createNativeQuery(RESUME_CHANNEL)
                            .setParameter("now", now).setParameter("id", claim.channelId()).executeUpdate();
                }
                return n == 1;
            } else if (result instanceof PublishResult.Retryable r && r.channelWide()) {
                status = "RETRY";
                notBefore = r.notBefore() != null && r.notBefore().isAfter(now) ? r.notBefore() : backoff;
                error = "Rate limited by " + claim.network().utmSource() + " until " + notBefore + ": " + r.reason();
                refund = true;
                pause(claim.channelId(), notBefore, error, now);
            } else if (result instanceof PublishResult.Retryable r) {
                if (claim.attempts() >= maxAttempts) {
                    status = "FAILED";
                    error = "Gave up after " + claim.attempts() + " attempts: " + r.reason();
                } else {
                    status = "RETRY";
                    notBefore = r.notBefore() != null && r.notBefore().isAfter(now) ? r.notBefore() : backoff;
                    error = r.reason();
                }
            } else if (result instanceof PublishResult.AuthExpired a) {
                status = "RETRY";
                error = a.reason();
                refund = true;
                em.createNativeQuery(NEEDS_REAUTH)
                        .setParameter("reason", ChannelService.reauthReason(a.reason()))
                        .setParameter("now", now).setParameter("id", claim.channelId()).executeUpdate();
            } else if (result instanceof PublishResult.Rejected r) {
                status = "FAILED";
                error = r.reason();
            } else {
                status = "UNCONFIRMED";
                error = ((PublishResult.UnknownOutcome) result).reason()
                        + " — the post may exist: check the account, then retry or mark it published";
            }
            return em.createNativeQuery(SETTLE).setParameter("status", status).setParameter("notBefore", notBefore)
                    .setParameter("error", error == null ? null : Text.truncate(error, MAX_ERROR))
                    .setParameter("refund", refund ? 1 : 0).setParameter("now", now).setParameter("id", claim.id())
                    .setParameter("instance", instance).executeUpdate() == 1;
        });
    }

    private void pause(long channelId, Instant until, String reason, Instant now) {
        em.createNativeQuery(PAUSE)
                .setParameter("until", until).setParameter("reason", Text.truncate(reason, 1000))
                .setParameter("now", now).setParameter("id", channelId).executeUpdate();
    }
}
