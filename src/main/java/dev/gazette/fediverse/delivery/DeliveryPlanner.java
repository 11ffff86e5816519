package dev.gazette.fediverse.delivery;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import dev.gazette.fediverse.FediverseConfig;
import dev.gazette.fediverse.Federation;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Plans the {@code Create} of each published article for every inbox its followers read, and, where the Create
 * arrived, an {@code Update} per later edit and a {@code Delete} once it is withdrawn, from state alone: set-based
 * statements join articles with followers (or with delivered activities), and the ledger's unique keys make a second
 * plan (after a crash, on another node, every run) add nothing. A follower gets only articles published after it
 * followed, never the archive; articles published longer ago (or, for the others, last changed longer ago) than
 * {@code gazette.fediverse.delivery-give-up-after} are not planned.
 *
 * <p>An article withdrawn and published again starts a new generation where its Delete arrived: a Create under a new
 * activity id ({@code #create-2}, then {@code #delete-2} ...), since a receiver ignores a Create (or an object) whose
 * id it saw deleted. Create and Delete rows carry their generation in {@code version} (from 1); Updates carry the
 * article's version, and from the second generation on its suffix ({@code #update-7-g2}): the object of generation
 * N ≥ 2 has an id of its own, {@code <article url>#gN}, which {@link dev.gazette.fediverse.ArticleObjects} reads off
 * the activity id.
 */
@ApplicationScoped
public class DeliveryPlanner {

    private static final String COLUMNS = """
            insert into fediverse_delivery (article_id, kind, version, activity_id, inbox, host, status, next_attempt_at,
                created_at)
            """;
    /**
     * The inbox a follower's deliveries go to, and its host: lower-case host[:port] without userinfo, for http(s)
     * inboxes only. Anything else (another scheme, no host, a host longer than the column) gets no row: one follower
     * with a strange inbox must not make the statement, and so every follower's delivery, fail.
     */
    private static final String INBOXES = """
            (select i.inbox, i.host, i.created_at from (select coalesce(f.shared_inbox, f.inbox) as inbox, lower((regexp_match(
                    coalesce(f.shared_inbox, f.inbox), '^https?://(?:[^/?#]*@)?([^/?#@]+)', 'i'))[1]) as host, f.created_at
                from fediverse_follower f) i
            where i.host is not null and length(i.host) <= 255)""";
    // DISTINCT: followers on one server share one inbox, which gets each article once
    private static final String PLAN_CREATES = COLUMNS + """
            select distinct a.id, 'CREATE', 1, :articles || a.slug || '#create', f.inbox, f.host,
                'PENDING', cast(:now as timestamptz), cast(:now as timestamptz)
            from article a join %s f on a.published_at >= f.created_at
            where a.status = 'PUBLISHED' and a.published_at > :since and a.published_at <= :now
            on conflict do nothing""".formatted(INBOXES);
    // published again where the latest generation's Delete arrived: the next generation's Create
    private static final String PLAN_RECREATES = COLUMNS + """
            select distinct a.id, 'CREATE', d.version + 1, :articles || a.slug || '#create-' || (d.version + 1), d.inbox,
                d.host, 'PENDING', cast(:now as timestamptz), cast(:now as timestamptz)
            from fediverse_delivery d join article a on a.id = d.article_id
            where d.kind = 'DELETE' and d.status = 'DELIVERED' and a.status = 'PUBLISHED' and a.updated_at > :since
                and d.version = (select max(c.version) from fediverse_delivery c
                    where c.article_id = d.article_id and c.inbox = d.inbox and c.kind = 'CREATE')
                and exists (select 1 from fediverse_follower f where coalesce(f.shared_inbox, f.inbox) = d.inbox)
            on conflict do nothing""";
    // a withdrawn article (unpublished, or since moved back to a draft or a schedule) is deleted where a generation's
    // Create arrived; a Create not yet sent is dropped by the sender
    private static final String PLAN_DELETES = COLUMNS + """
            select distinct a.id, 'DELETE', c.version,
                :articles || a.slug || case when c.version = 1 then '#delete' else '#delete-' || c.version end,
                c.inbox, c.host, 'PENDING', cast(:now as timestamptz), cast(:now as timestamptz)
            from fediverse_delivery c join article a on a.id = c.article_id
            where c.kind = 'CREATE' and c.status = 'DELIVERED' and a.status <> 'PUBLISHED' and a.updated_at > :since
            on conflict do nothing""";
    // an article edited after its latest Create at an inbox was planned (and not deleted there) is sent again, per
    // version: the sender renders a Create when it sends it, never before it was planned, so an edit made after the
    // planning may or may not be in it; an Update too many is harmless, a lost edit is not
    private static final String PLAN_UPDATES = COLUMNS + """
            select distinct a.id, 'UPDATE', a.version, :articles || a.slug || '#update-' || a.version
                    || case when c.version = 1 then '' else '-g' || c.version end,
                c.inbox, c.host, 'PENDING', cast(:now as timestamptz), cast(:now as timestamptz)
            from fediverse_delivery c join article a on a.id = c.article_id
            where c.kind = 'CREATE' and c.status = 'DELIVERED' and a.status = 'PUBLISHED' and a.updated_at > :since
                and a.updated_at > c.created_at
                and c.version = (select max(x.version) from fediverse_delivery x
                    where x.article_id = c.article_id and x.inbox = c.inbox and x.kind = 'CREATE')
                and not exists (select 1 from fediverse_delivery x where x.article_id = c.article_id
                    and x.inbox = c.inbox and x.kind = 'DELETE' and x.version = c.version and x.status = 'DELIVERED')
            on conflict do nothing""";

    private final EntityManager em;
    private final Federation federation;
    private final FediverseConfig config;
    private final Clock clock;

    DeliveryPlanner(EntityManager em, Federation federation, FediverseConfig config, Clock clock) {
        this.em = em;
        this.federation = federation;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Adds the deliveries not planned yet; returns how many. Each kind is planned in its own transaction: one that
     * fails is logged and retried by the next run, and does not keep the others from their followers.
     */
    public int plan() {
        Instant now = clock.instant();
        return plan("Creates", PLAN_CREATES, now) + plan("Deletes", PLAN_DELETES, now)
                + plan("new generations' Creates", PLAN_RECREATES, now) + plan("Updates", PLAN_UPDATES, now);
    }

    private int plan(String what, String sql, Instant now) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(sql)
                    .setParameter("articles", federation.articleUrl(""))
                    .setParameter("since", now.minus(config.deliveryGiveUpAfter())).setParameter("now", now)
                    .executeUpdate());
        } catch (RuntimeException e) {
            Log.errorf(e, "Fediverse %s could not be planned; the next run tries again", what);
            return 0;
        }
    }
}
