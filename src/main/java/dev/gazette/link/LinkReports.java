package dev.gazette.link;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

import dev.gazette.article.ArticleService;
import dev.gazette.common.Period;
import dev.gazette.common.Text;
import dev.gazette.common.config.SiteConfig;
import dev.gazette.common.error.ProblemException;

/**
 * Reports on tracked links, summed from the daily counters: per link, per article, and the top links of a period.
 */
@ApplicationScoped
public class LinkReports {

    public static final int MAX_TOP = 100;
    static final int MAX_ARTICLE_LINKS = 1000;

    private final TrackedLinkService links;
    private final ArticleService articles;
    private final SiteConfig site;
    private final EntityManager em;

    LinkReports(TrackedLinkService links, ArticleService articles, SiteConfig site, EntityManager em) {
        this.links = links;
        this.articles = articles;
        this.site = site;
        this.em = em;
    }

    /**
     * Distinct clickers per context (a digest issue's, a lifecycle message's links together), summed over days: a reader
     * who clicks on two days counts twice, one who clicks two links on one day once. Contexts without clicks are absent.
     */
    @Transactional
    public Map<Long, Long> clickers(LinkContextType type, Collection<Long> contextIds) {
        if (contextIds.isEmpty()) {
            return Map.of();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select context_id, sum(unique_visitors) from link_context_daily
                where context_type = :type and context_id in (:ids) group by context_id""")
                .setParameter("type", type.name()).setParameter("ids", contextIds).getResultList();
        Map<Long, Long> counts = new HashMap<>();
        rows.forEach(r -> counts.put(((Number) r[0]).longValue(), ((Number) r[1]).longValue()));
        return counts;
    }

    /** One page of per-link stats; pass {@code nextCursor} as {@code after} for the next. */
    public record Page(List<LinkStats> items, Long nextCursor) {
    }

    /** The links pointing at an article's page, with their counts and the total. */
    public record ArticleReport(long articleId, String slug, String url, LinkCounts total, List<LinkStats> links) {
    }

    /** A link with its counts over a period. */
    @Transactional
    public Optional<LinkStats> one(long linkId, Period period) {
        return links.find(linkId).map(l -> withCounts(List.of(l), period).get(0));
    }

    /** Per-link stats for the links an editor list would show, newest link first. */
    @Transactional
    public Page perLink(TrackedLinkService.Filter filter, Period period, Long after, int limit) {
        TrackedLinkService.Page page = links.list(filter, after, limit);
        return new Page(withCounts(page.items(), period), page.nextCursor());
    }

    /** The links whose target is the article's page (with any query or fragment), all-time or over a period. */
    @Transactional
    public ArticleReport perArticle(long articleId, Period period) {
        String slug = articles.find(articleId).map(a -> a.slug)
                .orElseThrow(() -> ProblemException.notFound("Article " + articleId));
        String url = site.baseUrl() + "/articles/" + slug;
        String like = Text.likeEscape(url);
        List<TrackedLink> found = TrackedLink.<TrackedLink> find("targetUrl = ?1 or targetUrl like ?2 escape '!'"
                + " or targetUrl like ?3 escape '!' order by id desc", url, like + "?%", like + "#%")
                .page(0, MAX_ARTICLE_LINKS).list();
        List<LinkStats> stats = withCounts(found, period);
        LinkCounts total = stats.stream().map(LinkStats::counts).reduce(LinkCounts.ZERO, LinkCounts::plus);
        return new ArticleReport(articleId, slug, url, total, stats);
    }

    /** The links with the most clicks over a period (then unique clicks, then previews), optionally of one context type. */
    @Transactional
    public List<LinkStats> top(Period period, LinkContextType contextType, int limit) {
        StringBuilder sql = new StringBuilder("""
                select d.link_id, sum(d.previews), sum(d.clicks), sum(d.unique_clicks)
                from link_daily d join tracked_link l on l.id = d.link_id where 1 = 1""");
        Map<String, Object> params = periodFilter(sql, period);
        if (contextType != null) {
            sql.append(" and l.context_type = :type");
            params.put("type", contextType.name());
        }
        sql.append(" group by d.link_id order by 3 desc, 4 desc, 2 desc, d.link_id desc limit :limit");
        params.put("limit", Math.min(limit, MAX_TOP));
        Map<Long, LinkCounts> counts = new HashMap<>();
        List<Long> order = new ArrayList<>();
        for (Object[] row : rows(sql.toString(), params)) {
            long id = ((Number) row[0]).longValue();
            order.add(id);
            counts.put(id, counts(row));
        }
        addSubscribers(counts, order, period);
        Map<Long, TrackedLink> byId = new HashMap<>();
        TrackedLink.byIds(order).forEach(l -> byId.put(l.id, l));
        return order.stream().filter(byId::containsKey).map(id -> new LinkStats(byId.get(id), counts.get(id))).toList();
    }

    private List<LinkStats> withCounts(List<TrackedLink> found, Period period) {
        Map<Long, LinkCounts> counts = counts(found.stream().map(l -> l.id).toList(), period);
        return found.stream().map(l -> new LinkStats(l, counts.getOrDefault(l.id, LinkCounts.ZERO))).toList();
    }

    private Map<Long, LinkCounts> counts(Collection<Long> ids, Period period) {
        Map<Long, LinkCounts> counts = new HashMap<>();
        if (ids.isEmpty()) {
            return counts;
        }
        StringBuilder sql = new StringBuilder("""
                select d.link_id, sum(d.previews), sum(d.clicks), sum(d.unique_clicks)
                from link_daily d where d.link_id in (:ids)""");
        Map<String, Object> params = periodFilter(sql, period);
        params.put("ids", ids);
        sql.append(" group by d.link_id");
        for (Object[] row : rows(sql.toString(), params)) {
            counts.put(((Number) row[0]).longValue(), counts(row));
        }
        addSubscribers(counts, ids, period);
        return counts;
    }

    /** Readers who subscribed through each link (their recorded tracked-link code), and how many confirmed. */
    private void addSubscribers(Map<Long, LinkCounts> counts, Collection<Long> ids, Period period) {
        if (ids.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("""
                select l.id, count(s.id), count(s.confirmed_at)
                from tracked_link l join subscriber s on s.source_ref = l.code where l.id in (:ids)""");
        Map<String, Object> params = new HashMap<>();
        params.put("ids", ids);
        if (period.from() != null) {
            sql.append(" and s.created_at >= :fromTime");
            params.put("fromTime", period.from().atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
        }
        if (period.to() != null) {
            sql.append(" and s.created_at < :toTime");
            params.put("toTime", period.to().plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
        }
        sql.append(" group by l.id");
        for (Object[] row : rows(sql.toString(), params)) {
            long id = ((Number) row[0]).longValue();
            counts.put(id, counts.getOrDefault(id, LinkCounts.ZERO).withSubscribers(number(row[1]), number(row[2])));
        }
    }

    private static Map<String, Object> periodFilter(StringBuilder sql, Period period) {
        Map<String, Object> params = new HashMap<>();
        if (period.from() != null) {
            sql.append(" and d.day >= :from");
            params.put("from", period.from());
        }
        if (period.to() != null) {
            sql.append(" and d.day <= :to");
            params.put("to", period.to());
        }
        return params;
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> rows(String sql, Map<String, Object> params) {
        Query query = em.createNativeQuery(sql);
        params.forEach(query::setParameter);
        return query.getResultList();
    }

    private static LinkCounts counts(Object[] row) {
        return new LinkCounts(number(row[1]), number(row[2]), number(row[3]), 0, 0);
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }
}
