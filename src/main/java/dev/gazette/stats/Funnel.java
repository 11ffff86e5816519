package dev.gazette.stats;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.gazette.common.Period;
import dev.gazette.common.config.SiteConfig;

/**
 * The reader funnel — posts, previews, clicks, unique clicks, subscribes, confirmations — per channel, per article
 * and per post, over a period of UTC days. Posts count by the day they were published, link counts by the day of the
 * click, subscribes and confirmations by the day the reader subscribed (through the post's link).
 */
@ApplicationScoped
public class Funnel {

    private static final String STEPS = """
            clicks as (select k.owner, sum(ld.previews) previews, sum(ld.clicks) clicks, sum(ld.unique_clicks) uniq
                       from links k join link_daily ld on ld.link_id = k.link_id
                       where ld.day between :from and :to group by k.owner),
            subs as (select k.owner, count(s.id) subscribes, count(s.confirmed_at) confirmations
                     from links k join subscriber s on s.source_ref = k.code
                     where s.created_at >= :fromTime and s.created_at < :toTime group by k.owner)
            """;

    private static final String PER_CHANNEL = """
            with links as (select d.channel_id owner, l.id link_id, l.code from distribution d
                           join tracked_link l on l.context_type = 'DISTRIBUTION' and l.context_id = d.id),
            posts as (select channel_id owner, count(*) posts from distribution
                      where status = 'PUBLISHED' and published_at >= :fromTime and published_at < :toTime
                      group by channel_id),
            """ + STEPS + """
            select c.id, c.name, c.network, c.status, coalesce(p.posts, 0), coalesce(k.previews, 0), coalesce(k.clicks, 0),
                   coalesce(k.uniq, 0), coalesce(s.subscribes, 0), coalesce(s.confirmations, 0)
            from channel c left join posts p on p.owner = c.id left join clicks k on k.owner = c.id
            left join subs s on s.owner = c.id
            order by c.id""";

    private static final String TOP_ARTICLES = """
            with links as (select a.id owner, l.id link_id, l.code from tracked_link l
                           join article a on split_part(split_part(l.target_url, '#', 1), '?', 1)
                                             = :articles || a.slug),
            posts as (select article_id owner, count(*) posts from distribution
                      where status = 'PUBLISHED' and published_at >= :fromTime and published_at < :toTime
                        and article_id is not null group by article_id),
            """ + STEPS + """
            select a.id, a.slug, a.title, coalesce(p.posts, 0), coalesce(k.previews, 0), coalesce(k.clicks, 0),
                   coalesce(k.uniq, 0), coalesce(s.subscribes, 0), coalesce(s.confirmations, 0)
            from article a left join posts p on p.owner = a.id left join clicks k on k.owner = a.id
            left join subs s on s.owner = a.id
            where p.posts is not null or k.owner is not null or s.owner is not null
            order by coalesce(k.clicks, 0) desc, coalesce(k.uniq, 0) desc, coalesce(s.subscribes, 0) desc,
                     coalesce(p.posts, 0) desc, a.id
            limit :limit""";

    private static final String PER_POST = """
            with links as (select d.id owner, l.id link_id, l.code from distribution d
                           join tracked_link l on l.context_type = 'DISTRIBUTION' and l.context_id = d.id
                           where d.article_id = :article),
            """ + STEPS + """
            select d.id, c.id, c.name, c.network, d.status, d.external_url, l.code,
                   case when d.status = 'PUBLISHED' and d.published_at >= :fromTime and d.published_at < :toTime
                        then 1 else 0 end,
                   coalesce(k.previews, 0), coalesce(k.clicks, 0), coalesce(k.uniq, 0),
                   coalesce(s.subscribes, 0), coalesce(s.confirmations, 0)
            from distribution d join channel c on c.id = d.channel_id
            left join tracked_link l on l.id = d.link_id
            left join clicks k on k.owner = d.id left join subs s on s.owner = d.id
            where d.article_id = :article order by d.id""";

    private static final String CLICKS_PER_CHANNEL_PER_DAY = """
            select d.channel_id, ld.day, sum(ld.previews), sum(ld.clicks), sum(ld.unique_clicks)
            from distribution d
            join tracked_link l on l.context_type = 'DISTRIBUTION' and l.context_id = d.id
            join link_daily ld on ld.link_id = l.id
            where ld.day between :from and :to
            group by d.channel_id, ld.day
            order by ld.day, d.channel_id""";

    public static final int MAX_TOP = 100;
    private static final LocalDate FIRST = LocalDate.of(1970, 1, 1);
    private static final LocalDate LAST = LocalDate.of(9999, 12, 30);

    private final EntityManager em;
    private final SiteConfig site;

    Funnel(EntityManager em, SiteConfig site) {
        this.em = em;
        this.site = site;
    }

    /** The counts of one funnel step set. */
    public record Counts(long posts, long previews, long clicks, long uniqueClicks, long subscribes, long confirmations) {
    }

    public record ChannelFunnel(long channelId, String channel, String network, String status, Counts counts) {
    }

    public record ArticleFunnel(long articleId, String slug, String title, Counts counts) {
    }

    public record PostFunnel(long distributionId, long channelId, String channel, String network, String status,
            String externalUrl, String linkCode, Counts counts) {
    }

    // The three steps for a set of links, as SQL pieces joined on the links' owner key (channel, article, post).

    /** Every channel, including those with nothing in the period, in channel order. */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<ChannelFunnel> perChannel(Period period) {
        List<Object[]> rows = bind(em.createNativeQuery(PER_CHANNEL), period).getResultList();
        return rows.stream().map(r -> new ChannelFunnel(num(r[0]), (String) r[1], (String) r[2], (String) r[3], counts(r, 4)))
                .toList();
    }

    /**
     * The articles whose links (social posts, digests, campaigns: any link to the article's page) had the most
     * clicks in the period, then unique clicks, then subscribes.
     */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<ArticleFunnel> topArticles(Period period, int limit) {
        List<Object[]> rows = bind(em.createNativeQuery(TOP_ARTICLES), period).setParameter("articles", site.baseUrl() + "/articles/")
                .setParameter("limit", Math.min(limit, MAX_TOP)).getResultList();
        return rows.stream().map(r -> new ArticleFunnel(num(r[0]), (String) r[1], (String) r[2], counts(r, 3))).toList();
    }

    /** Each post of an article, with its link's funnel: which channel brought readers. */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<PostFunnel> perPost(long articleId, Period period) {
        List<Object[]> rows = bind(em.createNativeQuery(PER_POST), period).setParameter("article", articleId)
                .getResultList();
        return rows.stream().map(r -> new PostFunnel(num(r[0]), num(r[1]), (String) r[2], (String) r[3], (String) r[4],
                (String) r[5], (String) r[6], counts(r, 7))).toList();
    }

    /** The link counts of one channel's posts on one UTC day. */
    public record ChannelDay(long channelId, LocalDate day, long previews, long clicks, long uniqueClicks) {
    }

    /**
     * The previews, clicks and unique clicks of each channel's posts per UTC day of the period, summed from the daily
     * link counters. Only days with counts are returned, by day then channel.
     */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<ChannelDay> clicksPerChannelPerDay(Period period) {
        List<Object[]> rows = em.createNativeQuery(CLICKS_PER_CHANNEL_PER_DAY)
                .setParameter("from", period.from() == null ? FIRST : period.from())
                .setParameter("to", period.to() == null ? LAST : period.to()).getResultList();
        return rows.stream().map(r -> new ChannelDay(num(r[0]), day(r[1]), num(r[2]), num(r[3]), num(r[4]))).toList();
    }

    private static LocalDate day(Object o) {
        return o instanceof LocalDate d ? d : ((java.sql.Date) o).toLocalDate();
    }

    private static jakarta.persistence.Query bind(jakarta.persistence.Query query, Period period) {
        LocalDate from = period.from() == null ? FIRST : period.from();
        LocalDate to = period.to() == null ? LAST : period.to();
        return query.setParameter("from", from).setParameter("to", to)
                .setParameter("fromTime", from.atStartOfDay(ZoneOffset.UTC).toInstant())
                .setParameter("toTime", to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    private static Counts counts(Object[] r, int at) {
        return new Counts(num(r[at]), num(r[at + 1]), num(r[at + 2]), num(r[at + 3]), num(r[at + 4]), num(r[at + 5]));
    }

    private static long num(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }
}
