package dev.gazette.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import dev.gazette.common.events.EventLog;
import dev.gazette.testing.GazetteTest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/** Old events whose deliveries are settled are deleted; those with a delivery still to send, and recent ones, stay. */
@QuarkusTest
class WebhookRetentionTest extends GazetteTest {

    @Inject
    WebhookRetentionJob job;

    @Inject
    EventLog events;

    @Inject
    EntityManager em;

    private void record(String title) {
        QuarkusTransaction.requiringNew().run(() -> events.record(EventLog.ARTICLE_PUBLISHED, Map.of("title", title)));
    }

    @SuppressWarnings("unchecked")
    private List<String> left() {
        return QuarkusTransaction.requiringNew().call(() -> (List<String>) em.createNativeQuery(
                "select data->>'title' from event order by id").getResultList());
    }

    @Test
    void settledEventsOlderThanTheRetentionAreDeleted() {
        WebhookTestSupport.endpoint(fixtures.adminToken(), wireMock.baseUrl(), null);
        clock.set(Instant.parse("2026-01-01T09:00:00Z"));
        record("delivered long ago");
        record("failed long ago");
        record("still retrying");
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("update webhook_delivery d set status = case e.data->>'title'"
                    + " when 'delivered long ago' then 'DELIVERED' when 'failed long ago' then 'FAILED' else 'RETRY' end"
                    + " from event e where e.id = d.event_id").executeUpdate();
        });
        clock.advance(Duration.ofDays(29));
        record("recent");
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update webhook_delivery set status = 'DELIVERED' where status = 'PENDING'").executeUpdate());
        clock.advance(Duration.ofDays(2));

        assertEquals(2, job.prune());
        assertEquals(List.of("still retrying", "recent"), left());
        assertEquals(0, job.prune());
    }
}
