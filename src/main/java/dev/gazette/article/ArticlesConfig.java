package dev.gazette.article;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Articles and their public pages.
 */
@ConfigMapping(prefix = "gazette.articles")
public interface ArticlesConfig {

    /** How often the job publishes scheduled articles that are due. */
    @WithDefault("30s")
    Duration publishInterval();

    /** Language of new articles when none is given (BCP 47). */
    @WithDefault("en")
    String defaultLanguage();

    /** How long a rendered public page or feed is served from memory before it is checked again. */
    @WithDefault("10s")
    Duration pageCacheTtl();

    /** Longest article body accepted, in characters, by the API, the editor and feed imports (longer ones are refused). */
    @WithDefault("200000")
    int maxBodyLength();

    /**
     * Deepest nesting of elements (or Markdown quotes, lists and emphasis) in a body: rendering and sanitising cost
     * grows faster than the length with depth, so deeper bodies are refused.
     */
    @WithDefault("256")
    int maxBodyDepth();

    /**
     * How long a private preview link to a draft works. Anyone with the link can read the draft until then, so keep
     * it short enough that a forwarded link goes stale.
     */
    @WithDefault("7d")
    Duration previewLinkTtl();

    /** Whether to create sample topics and articles when the database has none. */
    @WithDefault("true")
    boolean demoContent();
}
