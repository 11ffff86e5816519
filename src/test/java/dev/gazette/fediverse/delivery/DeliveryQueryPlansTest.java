package dev.gazette.fediverse.delivery;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.article.Article;
import dev.gazette.fediverse.FediverseProfile;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The statements a sender runs per host and per delivery stay index lookups as the ledger grows: on a ledger of 60,000
 * rows over 6,000 hosts (a few hundred of them due) and 30,000 followers, analysed, PostgreSQL's plan for taking a
 * host, releasing one and asking whether an inbox is still followed reads an index, and scans neither the ledger nor
 * the followers. Before {@code fediverse_host.due_at}, taking a host sorted every due row of the ledger.
 */
@QuarkusTest
@TestProfile(FediverseProfile.class)
class DeliveryQueryPlansTest extends DeliveryTestBase {

    @BeforeEach
    void seed() {
        Article article = fixtures.published("Rivers in spring", "Water.");
        // ten rows per host, delivered but for the 300 hosts (one in twenty) that have one due
        execute("""
                insert into fediverse_delivery (article_id, kind, version, activity_id, inbox, host, status,
                    next_attempt_at, delivered_at, created_at)
                select %d, 'UPDATE', v, 'https://news.example.org/articles/rivers#update-' || v,
                    'https://h' || h || '.example/inbox', 'h' || h || '.example',
                    case when v = 10 and h %% 20 = 0 then 'PENDING' else 'DELIVERED' end,
                    now() - interval '1 minute' * h, now(), now()
                from generate_series(1, 6000) h, generate_series(1, 10) v""".formatted(article.id));
        execute("""
                insert into fediverse_follower (actor_id, inbox, shared_inbox, host, follow_activity_id, created_at)
                select 'https://h' || (f % 6000) || '.example/users/u' || f,
                    'https://h' || (f % 6000) || '.example/users/u' || f || '/inbox',
                    case when f % 3 > 0 then 'https://h' || (f % 6000) || '.example/inbox' end,
                    'h' || (f % 6000) || '.example', 'https://h' || (f % 6000) || '.example/follows/' || f, now()
                from generate_series(1, 30000) f""");
        // every host delivered to has its row; the trigger made the 300 with a due row due
        execute("insert into fediverse_host (host) select distinct host from fediverse_delivery on conflict do nothing");
        execute("update fediverse_host set due_at = null where host not in (select host from fediverse_delivery"
                + " where status = 'PENDING')");
        execute("analyze fediverse_delivery");
        execute("analyze fediverse_host");
        execute("analyze fediverse_follower");
    }

    @Test
    void shouldTakeAHostThroughItsDueIndex() {
        String plan = explain(DeliveryHosts.TAKE, Map.of("lease", clock.instant().plusSeconds(60), "owner", "o",
                "now", clock.instant()));
        assertTrue(plan.contains("fediverse_host_due_idx"), plan);
        assertNoSeqScan(plan, "fediverse_delivery", "fediverse_host");
    }

    @Test
    void shouldReleaseAHostReadingOnlyItsOwnRows() {
        String plan = explain(DeliveryHosts.RELEASE, Map.of("host", "h20.example", "owner", "o"));
        assertTrue(plan.contains("fediverse_delivery_host_due_idx"), plan);
        assertNoSeqScan(plan, "fediverse_delivery", "fediverse_host");
    }

    @Test
    void shouldClaimAHostsRowsThroughItsDueIndex() {
        String plan = explain(DeliverySender.CLAIM, Map.of("lease", clock.instant().plusSeconds(60), "now",
                clock.instant(), "host", "h20.example", "owner", "o", "batch", 20, "expired", clock.instant().minusSeconds(3600)));
        assertNoSeqScan(plan, "fediverse_delivery");
    }

    @Test
    void shouldAskWhetherAnInboxIsFollowedThroughAnIndex() {
        String plan = explain(DeliverySender.STILL_FOLLOWED, Map.of("inbox", "https://h20.example/inbox"));
        assertTrue(plan.contains("fediverse_follower_delivery_inbox_idx"), plan);
        assertNoSeqScan(plan, "fediverse_follower");
    }

    private static void assertNoSeqScan(String plan, String... tables) {
        for (String table : tables) {
            assertFalse(plan.contains("Seq Scan on " + table), "no sequential scan of " + table + ":\n" + plan);
        }
    }

    private static String explain(String sql, Map<String, Object> parameters) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var query = Panache.getEntityManager().createNativeQuery("explain " + sql);
            parameters.forEach((name, value) -> query.setParameter(name, value instanceof Instant i ? i : value));
            @SuppressWarnings("unchecked")
            List<Object> lines = query.getResultList();
            return lines.stream().map(String::valueOf).collect(Collectors.joining("\n"));
        });
    }
}
