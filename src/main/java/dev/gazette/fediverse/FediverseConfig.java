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
}
