package dev.gazette.article;

/**
 * What the stored body source is written in. Editors write Markdown; imported feed items bring HTML.
 */
public enum BodyFormat {
    MARKDOWN,
    HTML
}
