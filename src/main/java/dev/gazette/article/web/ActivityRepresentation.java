package dev.gazette.article.web;

/**
 * The ActivityStreams side of the public pages, for fediverse servers. The fediverse feature provides it (article comes
 * before fediverse in the layer order, so it only knows this interface); without it, or with federation off, pages are
 * HTML only.
 */
public interface ActivityRepresentation {

    /** Whether federation is on: article pages then vary by {@code Accept} and pages link to their ActivityStreams form. */
    boolean enabled();

    /** Whether an {@code Accept} header asks for ActivityStreams JSON rather than a page. */
    boolean wanted(String accept);

    /** The media type of a successful answer: {@code application/activity+json}. */
    String mediaType();

    /** The publication's actor, linked from the front page. */
    String actorId();

    /**
     * The article as an ActivityStreams {@code Article}: status 200 with its JSON, or 404 (no such published article)
     * and 410 (withdrawn) with an {@code application/problem+json} body, as the HTML page answers 404 and 410.
     */
    PageCache.Entry article(String slug);
}
