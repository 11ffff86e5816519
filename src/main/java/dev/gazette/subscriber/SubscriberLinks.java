package dev.gazette.subscriber;

import java.time.Clock;

import jakarta.inject.Singleton;

import dev.gazette.common.SignedTokens;
import dev.gazette.common.config.SiteConfig;

/**
 * The signed links a reader gets: confirm, manage preferences, unsubscribe. Digests put the last two in every message.
 */
@Singleton
public class SubscriberLinks {

    static final String CONFIRM = "confirm";
    static final String PREFERENCES = "prefs";
    static final String UNSUBSCRIBE = "unsub";

    private final SignedTokens tokens;
    private final SubscribersConfig config;
    private final SiteConfig site;
    private final Clock clock;

    SubscriberLinks(SignedTokens tokens, SubscribersConfig config, SiteConfig site, Clock clock) {
        this.tokens = tokens;
        this.config = config;
        this.site = site;
        this.clock = clock;
    }

    public String confirmUrl(long subscriberId, int confirmation) {
        return site.baseUrl() + "/confirm/" + tokens.sign(CONFIRM, subscriberId, confirmation,
                clock.instant().plus(config.confirmLinkTtl()));
    }

    public String preferencesUrl(long subscriberId) {
        return site.baseUrl() + "/preferences/" + preferencesToken(subscriberId);
    }

    public String preferencesToken(long subscriberId) {
        return tokens.sign(PREFERENCES, subscriberId, 0, clock.instant().plus(config.manageLinkTtl()));
    }

    /** The RFC 8058 one-click address: POST unsubscribes, GET shows a button. */
    public String unsubscribeUrl(long subscriberId) {
        return unsubscribeUrl(unsubscribeToken(subscriberId));
    }

    public String unsubscribeUrl(String unsubscribeToken) {
        return site.baseUrl() + "/u/" + unsubscribeToken;
    }

    /** The token of the unsubscribe link; digests also put it in the subject of their mailto unsubscribe address. */
    public String unsubscribeToken(long subscriberId) {
        return unsubscribeToken(subscriberId, 0);
    }

    /**
     * The token of a digest issue's unsubscribe link and mailto address: it carries the issue (0 for none), so the
     * unsubscribe is counted against the issue that caused it.
     */
    public String unsubscribeToken(long subscriberId, long issueId) {
        return tokens.sign(UNSUBSCRIBE, subscriberId, issueId, clock.instant().plus(config.manageLinkTtl()));
    }
}
