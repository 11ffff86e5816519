package dev.gazette.lifecycle.api;

import java.time.Instant;
import java.util.List;

import dev.gazette.lifecycle.WebhookEndpoint;

/**
 * An endpoint as the API returns it: never its secret.
 */
public record WebhookView(long id, String name, String url, List<String> events, boolean active, boolean paused,
        Instant pausedAt, String pauseReason, int consecutiveFailures, Instant createdAt, Instant updatedAt) {

    static WebhookView of(WebhookEndpoint e) {
        return new WebhookView(e.id, e.name, e.url, e.eventList(), e.active, e.paused(), e.pausedAt, e.pauseReason,
                e.consecutiveFailures, e.createdAt, e.updatedAt);
    }
}
