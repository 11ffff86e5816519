package dev.gazette.common.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writes events to the event ledger in the caller's transaction (the outbox): an event exists exactly when the change
 * it tells of was committed. The same statement creates the event's delivery rows for the webhook endpoints that want
 * it, so a crash after the commit leaves rows for the dispatcher to send, never a change without its deliveries.
 */
@ApplicationScoped
public class EventLog {

    public static final String SUBSCRIBER_CREATED = "subscriber.created";
    public static final String SUBSCRIBER_CONFIRMED = "subscriber.confirmed";
    public static final String SUBSCRIBER_UPDATED = "subscriber.updated";
    public static final String SUBSCRIBER_UNSUBSCRIBED = "subscriber.unsubscribed";
    public static final String SUBSCRIBER_SUPPRESSED = "subscriber.suppressed";
    /** One summary per CSV import, with its counts, instead of an event per row. */
    public static final String SUBSCRIBERS_IMPORTED = "subscribers.imported";
    public static final String ISSUE_SENT = "issue.sent";
    public static final String ARTICLE_PUBLISHED = "article.published";

    /** Every type, in the order the documentation and the editor list them. */
    public static final List<String> TYPES = List.of(SUBSCRIBER_CREATED, SUBSCRIBER_CONFIRMED, SUBSCRIBER_UPDATED,
            SUBSCRIBER_UNSUBSCRIBED, SUBSCRIBER_SUPPRESSED, SUBSCRIBERS_IMPORTED, ISSUE_SENT, ARTICLE_PUBLISHED);

    // 1 type, 2 data, 3 created_at. Endpoints are read by this layer only as rows: which ones want the type.
    private static final String RECORD = """
            with e as (insert into event (type, data, created_at) values (?, cast(? as json), ?)
                       returning id, type, created_at)
            insert into webhook_delivery (event_id, endpoint_id, status, next_attempt_at, created_at, updated_at)
            select e.id, w.id, 'PENDING', e.created_at, e.created_at, e.created_at
            from e join webhook_endpoint w
              on w.active and (w.events = '' or e.type = any (string_to_array(w.events, ',')))""";

    private final EntityManager em;
    private final ObjectMapper json;
    private final Clock clock;

    EventLog(EntityManager em, ObjectMapper json, Clock clock) {
        this.em = em;
        this.json = json;
        this.clock = clock;
    }

    /** Records an event in the current transaction (there must be one). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String type, Map<String, ?> data) {
        Instant now = clock.instant();
        em.createNativeQuery(RECORD).setParameter(1, check(type)).setParameter(2, write(data)).setParameter(3, now)
                .executeUpdate();
    }

    /** Records an event through a connection whose transaction the caller commits (the subscriber import's writers). */
    public void record(Connection connection, String type, Map<String, ?> data) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(RECORD)) {
            insert.setString(1, check(type));
            insert.setString(2, write(data));
            insert.setTimestamp(3, Timestamp.from(clock.instant()));
            insert.executeUpdate();
        }
    }

    private static String check(String type) {
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("Unknown event type " + type);
        }
        return type;
    }

    private String write(Map<String, ?> data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Event data is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
