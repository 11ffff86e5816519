package dev.gazette.fediverse.delivery;

import java.time.Clock;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import dev.gazette.article.DeletionGuard;
import dev.gazette.fediverse.FediverseConfig;
import dev.gazette.fediverse.Federation;

/**
 * Keeps a withdrawn article's row until its Delete has reached every inbox its latest Create reached: the ledger's rows
 * go with the article, and a Delete never sent leaves the article on those servers for good. Settled means delivered,
 * or given up (FAILED, as after {@code gazette.fediverse.delivery-give-up-after} of failures), or cancelled (no follower reads the inbox any more). A Delete the planner has
 * not planned yet counts as owed, unless the article changed too long ago for the planner to plan it any more. With
 * federation off nothing is sent either way, and nothing is refused.
 */
@ApplicationScoped
class PendingDeletes implements DeletionGuard {

    // the inboxes owed a Delete, and those a Create or Update may still reach: a row claimed by a sender is PENDING
    // until settled, and what it posts was rendered before the withdrawal; once settled DELIVERED, it is owed a Delete
    private static final String OWED = """
            select count(*) from (
            select x.inbox from fediverse_delivery x where x.article_id = :article and x.kind <> 'DELETE'
                and x.status in ('PENDING', 'RETRY')
            union
            select c.inbox from fediverse_delivery c join article a on a.id = c.article_id
            where c.article_id = :article and c.kind = 'CREATE' and c.status = 'DELIVERED'
                and c.version = (select max(x.version) from fediverse_delivery x
                    where x.article_id = c.article_id and x.inbox = c.inbox and x.kind = 'CREATE')
                and not exists (select 1 from fediverse_delivery x where x.article_id = c.article_id
                    and x.inbox = c.inbox and x.kind = 'DELETE' and x.version = c.version
                    and x.status in ('DELIVERED', 'FAILED', 'CANCELLED'))
                and (a.updated_at > :since or exists (select 1 from fediverse_delivery x
                    where x.article_id = c.article_id and x.inbox = c.inbox and x.kind = 'DELETE'
                        and x.version = c.version and x.status in ('PENDING', 'RETRY')))) owed""";

    private final EntityManager em;
    private final Federation federation;
    private final FediverseConfig config;
    private final Clock clock;

    PendingDeletes(EntityManager em, Federation federation, FediverseConfig config, Clock clock) {
        this.em = em;
        this.federation = federation;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public Optional<String> refusal(long articleId) {
        if (!federation.enabled()) {
            return Optional.empty();
        }
        long inboxes = ((Number) em.createNativeQuery(OWED).setParameter("article", articleId)
                .setParameter("since", clock.instant().minus(config.deliveryGiveUpAfter())).getSingleResult()).longValue();
        if (inboxes == 0) {
            return Optional.empty();
        }
        return Optional.of("The article was published on the fediverse, and its withdrawal has not reached "
                + (inboxes == 1 ? "one server that has it" : inboxes + " servers that have it") + " yet. It can be deleted once"
                + " its Delete has been delivered there (or given up on); deleting it now would leave it on them.");
    }
}
