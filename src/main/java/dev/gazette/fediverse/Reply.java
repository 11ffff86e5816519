package dev.gazette.fediverse;

import java.time.Instant;

/**
 * A reply from the fediverse to one of the publication's articles: a {@code Note} whose {@code inReplyTo} is the
 * article's URL. {@code contentHtml} is sanitised; the author's name, handle ({@code @user@host}) and profile URL are
 * null when the author's actor document could not be fetched.
 */
public record Reply(long id, long articleId, String articleSlug, String articleTitle, String authorActorId,
        String authorName, String authorHandle, String authorUrl, String contentHtml, Instant publishedAt,
        Instant receivedAt, ReplyStatus status, String moderatedBy, Instant moderatedAt) {
}
