package dev.gazette.digest;

/**
 * The look of a digest: STANDARD shows each article with its image and summary, COMPACT a list of headlines.
 */
public enum DigestTemplate {
    STANDARD,
    COMPACT
}
