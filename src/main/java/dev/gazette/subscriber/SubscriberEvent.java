package dev.gazette.subscriber;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * One step in a reader's history: subscribed, confirmed, preferences changed, unsubscribed, bounced...
 */
@Entity
@Table(name = "subscriber_event")
public class SubscriberEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "subscriber_id", nullable = false)
    public long subscriberId;

    @Column(nullable = false, length = 30)
    public String type;

    @Column(length = 1000)
    public String detail;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** The digest issue an unsubscribe came through (its link or List-Unsubscribe address); null otherwise. */
    @Column(name = "issue_id")
    public Long issueId;

    public static SubscriberEvent record(long subscriberId, String type, String detail, Instant at) {
        SubscriberEvent event = new SubscriberEvent();
        event.subscriberId = subscriberId;
        event.type = type;
        event.detail = detail == null || detail.length() <= 1000 ? detail : detail.substring(0, 999) + "…";
        event.createdAt = at;
        event.persist();
        return event;
    }

    /** An event caused by a digest issue, such as an unsubscribe through its link. */
    public static SubscriberEvent record(long subscriberId, String type, String detail, Instant at, Long issueId) {
        SubscriberEvent event = record(subscriberId, type, detail, at);
        event.issueId = issueId;
        return event;
    }

    public static List<SubscriberEvent> history(long subscriberId) {
        return list("subscriberId = ?1 order by id", subscriberId);
    }
}
