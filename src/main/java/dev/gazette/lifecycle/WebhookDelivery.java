package dev.gazette.lifecycle;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import dev.gazette.common.BaseEntity;

/**
 * One event for one endpoint: created with the event, sent by {@link WebhookDispatcher}, settled by
 * {@link WebhookLedger}. Read here for the delivery log; its state changes are SQL in the ledger.
 */
@Entity
@Table(name = "webhook_delivery")
public class WebhookDelivery extends BaseEntity {

    /** What became of a delivery. */
    public enum Status {
        PENDING, SENDING, RETRY, DELIVERED, FAILED
    }

    @Column(name = "delivery_id", nullable = false, insertable = false, updatable = false)
    public UUID deliveryId;

    @Column(name = "event_id", nullable = false)
    public long eventId;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "event_id", insertable = false, updatable = false)
    public LedgerEvent event;

    @Column(name = "endpoint_id", nullable = false)
    public long endpointId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 12)
    public Status status;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;

    @Column(name = "claimed_by", length = 100)
    public String claimedBy;

    @Column(name = "response_code")
    public Integer responseCode;

    @Column(length = 1000)
    public String error;

    @Column(name = "delivered_at")
    public Instant deliveredAt;

    /** An endpoint's deliveries, newest first. */
    public static List<WebhookDelivery> recent(long endpointId, int limit) {
        return find("from WebhookDelivery d join fetch d.event where d.endpointId = ?1 order by d.id desc", endpointId)
                .page(0, limit).list();
    }

    /** Whether it waits for an attempt (then {@link #nextAttemptAt} says when). */
    public boolean waiting() {
        return status == Status.PENDING || status == Status.RETRY;
    }

    public boolean replayable() {
        return status == Status.DELIVERED || status == Status.FAILED || status == Status.RETRY;
    }
}
