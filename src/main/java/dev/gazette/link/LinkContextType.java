package dev.gazette.link;

/**
 * What a tracked link was made for: a social post, a digest issue, or a campaign an editor created by hand.
 */
public enum LinkContextType {
    DISTRIBUTION,
    DIGEST_ISSUE,
    CAMPAIGN
}
