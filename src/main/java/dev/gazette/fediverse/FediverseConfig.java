package dev.gazette.fediverse;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * ActivityPub: the publication as an account that Mastodon and its peers can find and follow.
 */
@ConfigMapping(prefix = "gazette.fediverse")
public interface FediverseConfig {

    /**
     * Serve WebFinger, NodeInfo, the publication's actor and articles as ActivityPub objects. Off by default: once a
     * server has seen the actor, its address is the account's identity for good, so turning this on needs an explicit
     * https {@code gazette.site.base-url}. Off, every fediverse address answers 404.
     */
    @WithDefault("false")
    boolean enabled();

    /**
     * The account name, as in {@code @news@your-domain}: letters, digits and underscores. Changing it later changes
     * only the name people search for; the actor's address does not contain it.
     */
    @WithDefault("news")
    String account();

    /** An absolute URL of a square image shown as the account's avatar (JPEG or PNG); none by default. */
    Optional<String> iconUrl();

    /** An absolute URL of a wide image shown as the account's header (JPEG or PNG); none by default. */
    Optional<String> headerUrl();

    /** Published articles per page of the outbox. */
    @WithDefault("20")
    int outboxPageSize();

    /**
     * Allow remote actors, keys and inboxes on loopback or private addresses. Off, a signed activity whose key or actor
     * lives on one is discarded and nothing is sent there, so a forged actor URL cannot reach internal services.
     */
    @WithDefault("false")
    boolean allowPrivateAddresses();

    /**
     * How far a received signature's {@code Date} (draft-cavage) or {@code created} (RFC 9421) may be from this server's
     * clock, either way. Mastodon accepts about an hour of skew; a longer window lets a captured request be replayed
     * for longer (its activity id is remembered, though).
     */
    @WithDefault("1h")
    java.time.Duration signatureWindow();

    /**
     * Activities waiting in memory for their sender's key to be fetched. When full, the inbox answers 503 and the
     * sender retries later; on a crash these are lost, and their senders retry too.
     */
    @WithDefault("1000")
    int pendingCapacity();

    /** How often answers to other servers (the Accept of a follow) that failed are tried again. */
    @WithDefault("1m")
    java.time.Duration retryInterval();

    /**
     * How often new articles are planned for the followers' inboxes and due deliveries are sent. Shorter brings an
     * article to Mastodon sooner after it is published; each run is one query when there is nothing to do.
     */
    @WithDefault("15s")
    java.time.Duration deliveryInterval();

    /**
     * Start a delivery run as soon as an article is published, edited or withdrawn (once the change is committed),
     * instead of waiting for the next scheduled run. Runs never overlap on a node: changes made during a run start one
     * more run after it.
     */
    @WithDefault("true")
    boolean deliverOnPublish();

    /**
     * Hosts one node sends to at once. Each host gets one request at a time; the work is waiting on the network, so a
     * large fan-out (a thousand servers) goes faster with more, at the cost of one thread each.
     */
    @WithDefault("16")
    int deliveryConcurrency();

    /**
     * How long an article's delivery to an inbox keeps being retried (with back-off up to 6 hours) before it fails for
     * good, as Mastodon marks a server unavailable after days of failures. Articles published longer ago than this are
     * not planned for new deliveries either.
     */
    @WithDefault("3d")
    java.time.Duration deliveryGiveUpAfter();

    /**
     * How long a host may fail every delivery (5xx, timeouts, refused connections) before it is marked unavailable:
     * its deliveries are then held and one of them is tried every 12 hours, until one gets through. Mastodon waits a
     * week; shorter spares a dead server's queue sooner.
     */
    @WithDefault("2d")
    java.time.Duration hostUnavailableAfter();
}
