package dev.gazette.lifecycle.api;

import java.time.Instant;

import dev.gazette.lifecycle.WebhookDelivery;

/**
 * One delivery of an event to an endpoint, as its log shows it.
 */
public record DeliveryView(long id, String deliveryId, String eventId, String type, String status, int attempts,
        Integer responseCode, String error, Instant nextAttemptAt, Instant deliveredAt, Instant createdAt) {

    static DeliveryView of(WebhookDelivery d) {
        boolean waiting = d.status == WebhookDelivery.Status.PENDING || d.status == WebhookDelivery.Status.RETRY;
        return new DeliveryView(d.id, d.deliveryId.toString(), d.event.publicId.toString(), d.event.type, d.status.name(),
                d.attempts, d.responseCode, d.error, waiting ? d.nextAttemptAt : null, d.deliveredAt, d.createdAt);
    }
}
