package dev.gazette.digest;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Planning and sending of digests.
 */
@ConfigMapping(prefix = "gazette.digest")
public interface DigestConfig {

    /** Runs the sender on this instance; every instance may send, they share the ledger. */
    @WithDefault("true")
    boolean senderEnabled();

    /** Deliveries a sender claims at a time. */
    @WithDefault("200")
    int batchSize();

    /**
     * Messages in flight: handed to the SMTP client and not yet recorded in the ledger. Twice the connections
     * (quarkus.mailer.max-pool-size) keeps every connection busy while earlier outcomes are being committed. At most
     * this many are sent again after a crash.
     */
    @WithDefault("32")
    int concurrency();

    /** Messages per second per instance; 0 for no limit. */
    @WithDefault("0")
    double rate();

    /** How long a claim holds before another sender may take the rows over; renewed while the sender lives. */
    @WithDefault("60s")
    Duration lease();

    /** Attempts per message before a temporary SMTP failure becomes FAILED. */
    @WithDefault("5")
    int maxAttempts();

    /** Back-off after the first temporary failure; doubles with each attempt, with jitter. */
    @WithDefault("2m")
    Duration retryBackoff();

    /** How far ahead the planner creates deliveries. */
    @WithDefault("15m")
    Duration planAhead();

    /** How often the planner runs (Quartz, once per cluster). */
    @WithDefault("1m")
    Duration planInterval();

    /** A digest never reaches further back than this, however long since the reader's previous one. */
    @WithDefault("8d")
    Duration maxLookback();

    /**
     * Envelope sender (VERP) of each digest; {delivery} becomes the delivery id. Default
     * {@code bounce+{delivery}@<host of gazette.site.base-url>}.
     */
    Optional<String> bounceAddress();

    /** Domain of the Message-ID of digests; default the host of gazette.site.base-url. */
    Optional<String> messageIdDomain();

    /**
     * The mailto address in List-Unsubscribe (the token goes in the subject); route it to POST /hooks/mail/inbound.
     * Default {@code unsubscribe@<host of gazette.site.base-url>}.
     */
    Optional<String> unsubscribeMailbox();

    /** Sender id, the last field of the Feedback-ID header (Gmail's feedback loop). */
    @WithDefault("gazette")
    String feedbackSenderId();
}
