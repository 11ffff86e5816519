package dev.gazette.lifecycle;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import dev.gazette.common.BaseEntity;

/**
 * A receiver of events: its URL, its sealed signing secret, the event types it wants, and whether it is delivered to.
 */
@Entity
@Table(name = "webhook_endpoint")
public class WebhookEndpoint extends BaseEntity {

    @Column(nullable = false, length = 200)
    public String name;

    @Column(nullable = false, length = 2000)
    public String url;

    /** AES-GCM sealed; see {@code CredentialCipher}. */
    @Column(nullable = false)
    public byte[] secret;

    /** Comma-separated event types; empty means all. */
    @Column(nullable = false, length = 1000)
    public String events = "";

    @Column(nullable = false)
    public boolean active = true;

    @Column(name = "paused_at")
    public Instant pausedAt;

    @Column(name = "pause_reason", length = 1000)
    public String pauseReason;

    @Column(name = "consecutive_failures", nullable = false)
    public int consecutiveFailures;

    /** The event types as a list; empty means all. */
    public List<String> eventList() {
        return events.isEmpty() ? List.of() : Arrays.asList(events.split(","));
    }

    public boolean paused() {
        return pausedAt != null;
    }
}
