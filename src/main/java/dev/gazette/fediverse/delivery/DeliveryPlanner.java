package dev.gazette.fediverse.delivery;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import dev.gazette.fediverse.FediverseConfig;
import dev.gazette.fediverse.Federation;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Plans the {@code Create} of each published article for every inbox its followers read, and, where the Create
 * arrived, an {@code Update} per later edit and a {@code Delete} once it is withdrawn, from state alone: set-based statements join articles with followers (or with
 * delivered Creates), and the ledger's unique keys make a second plan (after a crash, on another node, every run) add
 * nothing. A follower gets only articles published after it followed, never the archive; articles published longer
 * ago (or, for Update and Delete, last changed longer ago) than {@code gazette.fediverse.delivery-give-up-after} are
 * not planned.
 */
@ApplicationScoped
public class DeliveryPlanner {

    // DISTINCT: followers on one server share one inbox, which gets each article once
    private static final String PLAN_CREATES = """
            insert into fediverse_delivery (article_id, kind, version, activity_id, inbox, host, status, next_attempt_at,
                created_at)
            select distinct a.id, 'CREATE', 0, :articles || a.slug || '#create', coalesce(f.shared_inbox, f.inbox),
                coalesce(lower(substring(coalesce(f.shared_inbox, f.inbox) from '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]+)')), ''),
                'PENDING', cast(:now as timestamptz), cast(:now as timestamptz)
            from article a join fediverse_follower f on a.published_at >= f.created_at
            where a.status = 'PUBLISHED' and a.published_at > :since and a.published_at <= :now
            on conflict do nothing""";
    // a withdrawn article is deleted where its Create arrived; a Create not yet sent is dropped by the sender
    private static final String PLAN_DELETES = """
            insert into fediverse_delivery (article_id, kind, version, activity_id, inbox, host, status, next_attempt_at,
                created_at)
            select distinct a.id, 'DELETE', 0, :articles || a.slug || '#delete', c.inbox, c.host, 'PENDING',
                cast(:now as timestamptz), cast(:now as timestamptz)
            from fediverse_delivery c join article a on a.id = c.article_id
            where c.kind = 'CREATE' and c.status = 'DELIVERED' and a.status = 'UNPUBLISHED' and a.updated_at > :since
            on conflict do nothing""";
    // an article edited after its Create reached an inbox is sent there again, once per version
    private static final String PLAN_UPDATES = """
            insert into fediverse_delivery (article_id, kind, version, activity_id, inbox, host, status, next_attempt_at,
                created_at)
            select distinct a.id, 'UPDATE', a.version, :articles || a.slug || '#update-' || a.version, c.inbox, c.host,
                'PENDING', cast(:now as timestamptz), cast(:now as timestamptz)
            from fediverse_delivery c join article a on a.id = c.article_id
            where c.kind = 'CREATE' and c.status = 'DELIVERED' and a.status = 'PUBLISHED' and a.updated_at > :since
                and a.updated_at > c.delivered_at
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

    /** Adds the deliveries not planned yet; returns how many. */
    public int plan() {
        Instant now = clock.instant();
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(PLAN_CREATES)
                .setParameter("articles", federation.articleUrl(""))
                .setParameter("since", now.minus(config.deliveryGiveUpAfter()))
                .setParameter("now", now).executeUpdate()
                + plan(PLAN_DELETES, now) + plan(PLAN_UPDATES, now));
    }

    private int plan(String sql, Instant now) {
        return em.createNativeQuery(sql).setParameter("articles", federation.articleUrl(""))
                .setParameter("since", now.minus(config.deliveryGiveUpAfter())).setParameter("now", now).executeUpdate();
    }
}
