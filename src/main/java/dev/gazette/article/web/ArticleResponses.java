package dev.gazette.article.web;

import java.time.Instant;
import java.util.List;

/**
 * Responses to an article from elsewhere that an editor approved, shown under it: the fediverse feature provides them
 * (article comes before fediverse in the layer order, so it only knows this interface). When they change, the provider
 * fires {@link Changed} and the article's cached page is dropped.
 */
public interface ArticleResponses {

    /** One response as shown: {@code contentHtml} is sanitised; name, handle and profile URL may be null. */
    record Response(String authorName, String authorHandle, String authorUrl, String contentHtml, Instant publishedAt) {
    }

    /** What is shown under the article had changed; fire it inside the transaction that changed it. */
    record Changed(String slug) {
    }

    /** The approved responses to a published article, oldest first. */
    List<Response> approved(long articleId);
}
