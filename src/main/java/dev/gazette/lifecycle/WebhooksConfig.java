package dev.gazette.lifecycle;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Event webhooks: how often and how hard the dispatcher tries, and what receivers it may reach.
 */
@ConfigMapping(prefix = "gazette.webhooks")
public interface WebhooksConfig {

    /** Whether this instance delivers events (endpoints can be configured either way). */
    @WithDefault("true")
    boolean dispatcherEnabled();

    /** How often the dispatcher looks for due deliveries. */
    @WithDefault("10s")
    Duration pollInterval();

    /** Deliveries claimed per round. */
    @WithDefault("50")
    int batchSize();

    /**
     * How long a claimed delivery belongs to its dispatcher; after that another run sends it again (the receiver may
     * then see it twice, with the same delivery id). Longer than connect and request timeouts together.
     */
    @WithDefault("2m")
    Duration lease();

    /** Attempts before a delivery that keeps failing is FAILED. */
    @WithDefault("8")
    int maxAttempts();

    /** First retry delay; it doubles per attempt up to {@link #maxBackoff()}. */
    @WithDefault("30s")
    Duration retryBackoff();

    /** Longest retry delay. */
    @WithDefault("1h")
    Duration maxBackoff();

    /** Failed attempts in a row after which an endpoint is paused until an editor resumes it. */
    @WithDefault("10")
    int pauseAfterFailures();

    /** Time to establish a connection to a receiver. */
    @WithDefault("5s")
    Duration connectTimeout();

    /** Time to wait for a receiver's answer; a receiver that takes longer is tried again later. */
    @WithDefault("10s")
    Duration requestTimeout();

    /**
     * How long an event and its deliveries are kept once nothing is left to send for it (delivered or failed for good);
     * older ones are deleted every hour. Events with a delivery still to send are kept whatever their age.
     */
    @WithDefault("30d")
    Duration retention();

    /** Allow endpoint URLs that resolve to loopback or private addresses. */
    @WithDefault("false")
    boolean allowPrivateAddresses();
}
