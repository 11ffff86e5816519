package dev.gazette.lifecycle.reengage;

import java.time.Clock;

import jakarta.inject.Singleton;

import dev.gazette.common.SignedTokens;
import dev.gazette.common.config.SiteConfig;
import dev.gazette.subscriber.SubscribersConfig;

/**
 * The "keep me subscribed" link of a re-engagement mail: signed and expiring like the unsubscribe link (same key, its
 * own purpose, the reader's manage-link lifetime), naming the reader and the round it answers.
 */
@Singleton
public class KeepLinks {

    static final String PURPOSE = "keep";

    private final SignedTokens tokens;
    private final SubscribersConfig config;
    private final SiteConfig site;
    private final Clock clock;

    KeepLinks(SignedTokens tokens, SubscribersConfig config, SiteConfig site, Clock clock) {
        this.tokens = tokens;
        this.config = config;
        this.site = site;
        this.clock = clock;
    }

    /** The page that asks the reader to confirm they want to stay (GET shows a button, POST answers). */
    public String keepUrl(long subscriberId, int occasion) {
        return site.baseUrl() + "/keep/" + tokens.sign(PURPOSE, subscriberId, occasion, clock.instant().plus(config.manageLinkTtl()));
    }

    SignedTokens.Check check(String token) {
        return tokens.check(token, PURPOSE);
    }
}
