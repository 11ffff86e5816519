package dev.gazette.social.spi;

import java.time.Instant;

/**
 * What became of one attempt to publish a post. Connectors map the network's answer to exactly one of these; the
 * distribution ledger decides what happens next.
 */
public sealed interface PublishResult {

    /** The post exists on the network. {@code url} may be null where the network does not say where. */
    record Published(String externalId, String url) implements PublishResult {
    }

    /**
     * The network did not take the post, and trying again later is safe: nothing was created.
     *
     * @param notBefore when to try again at the earliest; null lets the ledger choose (exponential backoff)
     * @param channelWide true for rate limits: the whole channel pauses until {@code notBefore}
     * @param reason the network's own words, for editors
     */
    record Retryable(Instant notBefore, boolean channelWide, String reason) implements PublishResult {
    }

    /** The credentials were refused (revoked, expired): the channel needs an editor to reconnect it. */
    record AuthExpired(String reason) implements PublishResult {
    }

    /** The network refused this post for good (duplicate, too long, policy): no further attempts. */
    record Rejected(String reason) implements PublishResult {
    }

    /**
     * The request may have reached the network but no answer came (timeout or dropped connection after sending).
     * The ledger never repeats such a call blindly: an editor checks the account.
     */
    record UnknownOutcome(String reason) implements PublishResult {
    }
}
