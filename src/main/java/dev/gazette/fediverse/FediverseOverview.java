package dev.gazette.fediverse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * What the editors see of the publication's fediverse account: its followers (paged, filtered by host), and how the
 * delivery of articles to their servers is going (the ledger's rows by outcome, the servers that keep failing, each
 * recent article's progress), with the replies waiting for moderation. Read-only. The ledger, which only grows, is
 * read through indexes; the host filter scans the followers (one row each, far fewer than the ledger's).
 */
@ApplicationScoped
public class FediverseOverview {

    /** Followers per page of the editors' list. */
    public static final int PAGE_SIZE = 50;
    /** How far back the delivery counts look. */
    public static final Duration WINDOW = Duration.ofDays(30);
    /** Recent articles whose delivery progress is shown. */
    public static final int RECENT_ARTICLES = 20;
    /** Failing hosts listed at most. */
    public static final int FAILING_HOSTS = 50;

    // the filter matches anywhere in the host, so "mastodon" finds mastodon.social and mastodon.online
    private static final String FOLLOWERS = """
            select actor_id, host, created_at from fediverse_follower
            where :host = '' or host like '%' || :host || '%' escape '\\'
            order by created_at desc, id desc offset :offset limit :limit""";
    private static final String MATCHING = """
            select count(*) from fediverse_follower where :host = '' or host like '%' || :host || '%' escape '\\'""";
    private static final String OUTCOMES = """
            select count(*) filter (where status = 'DELIVERED'), count(*) filter (where status in ('PENDING', 'RETRY')),
                   count(*) filter (where status = 'FAILED')
            from fediverse_delivery where created_at >= :since""";
    // a host is failing while it has rows waiting for a retry; its latest error is that of its most retried row
    private static final String FAILING = """
            select host, count(*), max(attempts), min(next_attempt_at),
                   (array_agg(last_error order by attempts desc, id desc))[1]
            from fediverse_delivery where status in ('PENDING', 'RETRY') group by host
            having count(*) filter (where status = 'RETRY') > 0
            order by max(attempts) desc, host limit :limit""";
    // only the latest Create of an article counts, and not at inboxes it was cancelled for (no follower left there): one published again after a withdrawal is a new Create (version)
    private static final String PROGRESS = """
            select a.id, a.title, a.slug, a.published_at, coalesce(p.delivered, 0), coalesce(p.total, 0)
            from article a left join lateral (
                select count(*) filter (where d.status = 'DELIVERED') as delivered,
                       count(*) filter (where d.status <> 'CANCELLED') as total
                from fediverse_delivery d where d.article_id = a.id and d.kind = 'CREATE'
                    and d.version = (select max(version) from fediverse_delivery
                                     where article_id = a.id and kind = 'CREATE')) p on true
            where a.status = 'PUBLISHED' order by a.published_at desc, a.id desc limit :limit""";

    /** A follower as the list shows it; {@code since}: when it first followed. */
    public record FollowerRow(String actorId, String host, Instant since) {

        /** Whether the actor id can be a link (an http(s) URL, as every accepted actor's is). */
        public boolean linkable() {
            String id = actorId.toLowerCase(Locale.ROOT);
            return id.startsWith("https://") || id.startsWith("http://");
        }
    }

    /** One page of followers, {@code page} counted from 1, and how many followers match the filter in all. */
    public record FollowerPage(List<FollowerRow> rows, long matching, int page, boolean hasNext) {

        public boolean hasPrevious() {
            return page > 1;
        }
    }

    /** The ledger's rows planned in the window, by where they stand now. */
    public record Outcomes(long delivered, long waiting, long failed) {
    }

    /** A server whose deliveries are being retried: rows waiting, the most attempts of one, its latest error. */
    public record FailingHost(String host, long waiting, int attempts, String lastError, Instant nextAttempt) {
    }

    /** How far the {@code Create} of a recent article got: inboxes that have it, of those planned. */
    public record ArticleProgress(long articleId, String title, String slug, Instant publishedAt, long delivered, long total) {

        /** Delivered of planned, in whole percent (rounded down, so 100 means every inbox). */
        public int percent() {
            return total == 0 ? 0 : (int) (delivered * 100 / total);
        }
    }

    /**
     * Everything the editors' page shows: the number of followers and of replies waiting for moderation, one page of
     * followers, the deliveries by outcome, the failing servers and the recent articles' progress.
     */
    public record Page(long followerCount, long pendingReplies, FollowerPage followers, Outcomes outcomes,
            List<FailingHost> failing, List<ArticleProgress> articles) {
    }

    private final EntityManager em;
    private final Clock clock;
    private final Followers stored;
    private final Replies replies;

    FediverseOverview(EntityManager em, Clock clock, Followers stored, Replies replies) {
        this.em = em;
        this.clock = clock;
        this.stored = stored;
        this.replies = replies;
    }

    /** The editors' page, followers filtered and paged as {@link #followers} does, read in one transaction. */
    @Transactional
    public Page page(String host, int page) {
        return new Page(stored.count(), replies.counts().get(ReplyStatus.PENDING), followers(host, page), outcomes(),
                failingHosts(), recentArticles());
    }

    /**
     * The followers, newest first, whose host contains {@code host} (any when blank; case does not matter), page
     * {@code page} (from 1) of {@value #PAGE_SIZE}.
     */
    @Transactional
    @SuppressWarnings("unchecked")
    public FollowerPage followers(String host, int page) {
        String filter = escapeLike(host == null ? "" : host.strip().toLowerCase(Locale.ROOT));
        int at = Math.max(1, page);
        List<Object[]> rows = em.createNativeQuery(FOLLOWERS).setParameter("host", filter)
                .setParameter("offset", (long) (at - 1) * PAGE_SIZE).setParameter("limit", PAGE_SIZE + 1).getResultList();
        long matching = num(em.createNativeQuery(MATCHING).setParameter("host", filter).getSingleResult());
        List<FollowerRow> followers = rows.stream().limit(PAGE_SIZE)
                .map(r -> new FollowerRow((String) r[0], (String) r[1], instant(r[2]))).toList();
        return new FollowerPage(followers, matching, at, rows.size() > PAGE_SIZE);
    }

    /** The deliveries planned in the last {@link #WINDOW}, by outcome. */
    @Transactional
    public Outcomes outcomes() {
        Object[] r = (Object[]) em.createNativeQuery(OUTCOMES).setParameter("since", clock.instant().minus(WINDOW))
                .getSingleResult();
        return new Outcomes(num(r[0]), num(r[1]), num(r[2]));
    }

    /** The servers being retried, the most retried first. */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<FailingHost> failingHosts() {
        List<Object[]> rows = em.createNativeQuery(FAILING).setParameter("limit", FAILING_HOSTS).getResultList();
        return rows.stream().map(r -> new FailingHost((String) r[0], num(r[1]), (int) num(r[2]), (String) r[4], instant(r[3])))
                .toList();
    }

    /** The last {@value #RECENT_ARTICLES} published articles, newest first, with their Create's progress. */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<ArticleProgress> recentArticles() {
        List<Object[]> rows = em.createNativeQuery(PROGRESS).setParameter("limit", RECENT_ARTICLES).getResultList();
        return rows.stream().map(r -> new ArticleProgress(num(r[0]), (String) r[1], (String) r[2], instant(r[3]), num(r[4]),
                num(r[5]))).toList();
    }

    private static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    static Instant instant(Object o) {
        if (o == null) {
            return null;
        }
        return o instanceof Instant i ? i : o instanceof OffsetDateTime t ? t.toInstant() : ((java.sql.Timestamp) o).toInstant();
    }

    private static long num(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }
}
