package dev.gazette.stats;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.gazette.common.error.ProblemException;
import dev.gazette.digest.DigestIssue;
import dev.gazette.digest.IssueStatus;
import dev.gazette.digest.Newsletter;

/**
 * What one digest issue did: how its deliveries ended, the bounces and complaints reported for them, the readers who
 * unsubscribed through it, and the people who clicked its tracked links, in all and per article. Clicks are summed
 * from the link counters, which never count bots (they are previews there).
 */
@ApplicationScoped
public class IssueReport {

    // Bounces and complaints are matched to their delivery by the VERP address, which keeps the last report.
    private static final String DELIVERIES = """
            select count(*) filter (where status = 'SENT'), count(*) filter (where status = 'SKIPPED'),
                   count(*) filter (where status = 'FAILED'),
                   count(*) filter (where last_error like 'HARD\\_BOUNCE:%' or last_error like 'SOFT\\_BOUNCE:%'),
                   count(*) filter (where last_error like 'COMPLAINT:%'), count(*)
            from delivery where issue_id = :issue""";

    private static final String UNSUBSCRIBES = """
            select count(distinct subscriber_id) from subscriber_event
            where issue_id = :issue and type = 'UNSUBSCRIBED'""";

    private static final String CLICKERS = """
            select coalesce(sum(unique_visitors), 0) from link_context_daily
            where context_type = 'DIGEST_ISSUE' and context_id = :issue""";

    // Digest links are labelled with their article's slug.
    private static final String PER_ARTICLE = """
            select a.id, coalesce(a.title, l.label), l.label, l.code, l.target_url,
                   coalesce(sum(d.clicks), 0), coalesce(sum(d.unique_clicks), 0), coalesce(sum(d.previews), 0)
            from tracked_link l
            left join link_daily d on d.link_id = l.id
            left join article a on a.slug = l.label
            where l.context_type = 'DIGEST_ISSUE' and l.context_id = :issue
            group by l.id, a.id, a.title
            order by 6 desc, 7 desc, l.id""";

    /** The report of one issue. */
    public record Report(long issueId, long newsletterId, String newsletter, int number, String subject, IssueStatus status,
            java.time.Instant sendAt, boolean trackLinks, Deliveries deliveries, long unsubscribes, long uniqueClickers,
            long clicks, List<ArticleClicks> articles) {
    }

    /** How the issue's deliveries ended, and what was reported after sending. */
    public record Deliveries(long total, long sent, long skipped, long failed, long bounced, long complaints) {
    }

    /**
     * The clicks on one article's link in the issue. Clicks count a visitor at most once per hour; unique clicks are
     * distinct visitors per UTC day; previews are bots and link unfurlers, not counted as clicks.
     */
    public record ArticleClicks(Long articleId, String title, String slug, String code, String url, long clicks,
            long uniqueClicks, long previews) {
    }

    private final EntityManager em;

    IssueReport(EntityManager em) {
        this.em = em;
    }

    /** The report of an issue; 404 for an unknown issue. */
    @Transactional
    public Report of(long issueId) {
        DigestIssue issue = DigestIssue.findById(issueId);
        if (issue == null) {
            throw ProblemException.notFound("Issue " + issueId);
        }
        Newsletter n = Newsletter.findById(issue.newsletterId);
        Object[] d = (Object[]) em.createNativeQuery(DELIVERIES).setParameter("issue", issueId).getSingleResult();
        Deliveries deliveries = new Deliveries(num(d[5]), num(d[0]), num(d[1]), num(d[2]), num(d[3]), num(d[4]));
        long unsubscribes = num(em.createNativeQuery(UNSUBSCRIBES).setParameter("issue", issueId).getSingleResult());
        long clickers = num(em.createNativeQuery(CLICKERS).setParameter("issue", issueId).getSingleResult());
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(PER_ARTICLE).setParameter("issue", issueId).getResultList();
        List<ArticleClicks> articles = rows.stream().map(r -> new ArticleClicks(r[0] == null ? null : num(r[0]), (String) r[1],
                (String) r[2], (String) r[3], (String) r[4], num(r[5]), num(r[6]), num(r[7]))).toList();
        long clicks = articles.stream().mapToLong(ArticleClicks::clicks).sum();
        return new Report(issue.id, issue.newsletterId, n == null ? "?" : n.name, issue.number, issue.subject, issue.status,
                issue.sendAt, n != null && n.trackLinks, deliveries, unsubscribes, clickers, clicks, articles);
    }

    private static long num(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }
}
