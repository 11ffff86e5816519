package dev.gazette.article;

import java.util.Optional;

/**
 * Something elsewhere that still needs an article's row before the article may be deleted: deleting it takes along
 * whatever refers to it. The fediverse feature provides one (article comes before fediverse in the layer order, so it
 * only knows this interface): an article that reached followers' servers and was withdrawn keeps its row until its
 * Delete has reached each of them, or the row of that Delete would go with it and the servers keep the article.
 */
public interface DeletionGuard {

    /** Why the article cannot be deleted yet, as a sentence an editor can act on; empty when it can. */
    Optional<String> refusal(long articleId);
}
