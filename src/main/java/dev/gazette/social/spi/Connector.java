package dev.gazette.social.spi;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.gazette.social.Network;

/**
 * Posts to one network. Implementations live in {@code dev.gazette.social.connector.<network>}, are CDI beans, and
 * never throw for a network's answer: every outcome is a {@link PublishResult}. They do not retry; the distribution
 * ledger decides whether and when to try again.
 */
public interface Connector {

    Network network();

    /** The network's name as editors know it, e.g. "Facebook Page". */
    String label();

    /** What a channel's base URL is on this network, for the form; empty where channels have none. */
    default Optional<String> baseUrlHint() {
        return Optional.empty();
    }

    /** What a channel's account identifier is on this network, for the form; empty where it takes none. */
    default Optional<String> accountHint() {
        return Optional.empty();
    }

    /** The credentials a channel of this network needs. */
    List<CredentialField> credentialFields();

    /** The base URL used when a channel gives none; empty when every channel must give one (Mastodon). */
    default Optional<String> defaultBaseUrl() {
        return Optional.empty();
    }

    /** Whether channels of this network have a base URL at all (an instance or PDS). */
    default boolean usesBaseUrl() {
        return false;
    }

    /** How the network counts text and its limit, possibly specific to the channel's instance. */
    TextRules textRules(ChannelAccess channel);

    /** Whether the card is sent with the post (Bluesky, LinkedIn, Discord, webhooks) rather than scraped. */
    default boolean sendsCard() {
        return false;
    }

    /**
     * What is wrong with a channel's account identifier or credentials as given, before any call is made: field name
     * ({@code account} or {@code credentials.<name>}) to message. Empty when nothing is.
     */
    default Map<String, String> problems(String account, Map<String, String> credentials) {
        return Map.of();
    }

    /** Checks the credentials with a read-only call. */
    Verification verify(ChannelAccess channel);

    /**
     * Sends one post. A mutating call that got no answer is {@link PublishResult.UnknownOutcome}; a connector
     * that makes several calls (a session refresh, an upload) returns {@link PublishResult.Retryable} when an
     * earlier, harmless one fails.
     */
    PublishResult publish(ChannelAccess channel, Post post);

    /**
     * For how long the network recognises a repeated {@link Post#idempotencyKey()} and returns the first post
     * instead of creating another (Mastodon: about an hour). Zero when it does not: then a publish interrupted by a
     * crash is left UNCONFIRMED for an editor instead of being repeated.
     */
    default Duration idempotencyWindow() {
        return Duration.ZERO;
    }
}
