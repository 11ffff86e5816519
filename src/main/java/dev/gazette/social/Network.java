package dev.gazette.social;

import java.util.Locale;

/**
 * The networks Gazette posts to. The lower-case name is the {@code utm_source} of the links it posts.
 */
public enum Network {
    MASTODON,
    BLUESKY,
    X,
    FACEBOOK,
    LINKEDIN,
    TELEGRAM,
    DISCORD,
    SLACK,
    WEBHOOK;

    /** The {@code utm_source} value and the name used in metrics and URLs. */
    public String utmSource() {
        return name().toLowerCase(Locale.ROOT);
    }
}
