package dev.gazette.subscriber;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How readers subscribe, confirm and manage their subscription.
 */
@ConfigMapping(prefix = "gazette.subscribers")
public interface SubscribersConfig {

    /** Time zone of readers whose browser did not tell us theirs (IANA name). */
    @WithDefault("UTC")
    String defaultTimezone();

    /** Digest frequency of new readers. */
    @WithDefault("weekly")
    Frequency defaultFrequency();

    /** Version of the consent text shown next to the subscribe form, recorded with each subscription. */
    @WithDefault("2026-01")
    String consentVersion();

    /** The consent text shown next to the subscribe form. */
    @WithDefault("We send a confirmation link first. Unsubscribe with one click in any email; we never share your address.")
    String consentText();

    /** How long a confirmation link works. */
    @WithDefault("7d")
    Duration confirmLinkTtl();

    /** How long preference and unsubscribe links in mail keep working. */
    @WithDefault("400d")
    Duration manageLinkTtl();

    /** Unconfirmed subscriptions older than this are deleted. */
    @WithDefault("14d")
    Duration pendingTtl();

    /** Confirmation mails sent to one unconfirmed address at most. */
    @WithDefault("3")
    int maxConfirmationMails();

    /** Shortest time between two confirmation mails to one address. */
    @WithDefault("10m")
    Duration confirmationResendInterval();

    /**
     * Times a confirmation mail that could not be sent is tried again by itself, a minute after the failure, then
     * twice as long each time, at most an hour apart; 0 leaves it to the reader to ask again.
     */
    @WithDefault("8")
    int confirmationRetries();

    /** Subscribe attempts allowed per visitor (keyed hash of the IP address) per hour. */
    @WithDefault("20")
    int rateLimitPerIp();

    /** Subscribe attempts allowed per address per hour. */
    @WithDefault("5")
    int rateLimitPerAddress();

    /** Largest CSV file an import accepts, in bytes. */
    @WithDefault("500000000")
    long importMaxBytes();

    /**
     * Let imports merge without PostgreSQL's per-row foreign-key trigger calls when the database role may set
     * session_replication_role (the merge locks the referenced rows itself). Turn it off if you add triggers of your
     * own to the subscriber tables: that setting skips them too.
     */
    @WithDefault("true")
    boolean importSkipTriggerChecks();
}
