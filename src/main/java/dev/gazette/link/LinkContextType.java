package dev.gazette.link;

/**
 * What a tracked link was made for: a social post, a digest issue, a lifecycle message (welcome, onboarding step,
 * re-engagement), or a campaign an editor created by hand.
 */
public enum LinkContextType {
    DISTRIBUTION,
    DIGEST_ISSUE,
    CAMPAIGN,
    LIFECYCLE_MESSAGE
}
