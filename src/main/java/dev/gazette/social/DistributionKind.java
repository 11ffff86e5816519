package dev.gazette.social;

/** What a distribution posts: an article, or the announcement of a digest issue's web copy. */
public enum DistributionKind {
    ARTICLE,
    DIGEST_ANNOUNCEMENT
}
