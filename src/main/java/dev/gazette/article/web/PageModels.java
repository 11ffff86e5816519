package dev.gazette.article.web;

import java.util.List;

import dev.gazette.article.media.MediaUrls;

/**
 * What the public templates show. Everything is plain text (escaped by Qute) except {@code bodyHtml}, which is
 * sanitised, and {@code jsonLd}, which is serialised and escaped by {@link ArticlePages}.
 */
public final class PageModels {

    private PageModels() {
    }

    /** A topic as linked from pages; {@code checked} pre-selects it in a subscribe form. */
    public record TopicLink(String slug, String name, String url, boolean checked) {
    }

    /** An article in a list. */
    public record Teaser(String title, String url, String summary, String publishedIso, String publishedLabel,
            String imageUrl, String imageAlt) {
    }

    /** A response from elsewhere (a fediverse reply) under an article; {@code contentHtml} is sanitised. */
    public record ResponseView(String authorName, String authorHandle, String authorUrl, String contentHtml,
            String publishedIso, String publishedLabel) {

        /** The author's name, else handle, else a generic label (the author's actor could not be fetched). */
        public String shownName() {
            return authorName != null ? authorName : authorHandle != null ? authorHandle : "Someone on the fediverse";
        }
    }

    /** Everything the article page shows; {@code activityUrl} is set when the page has an ActivityStreams form. */
    public record ArticlePage(String title, String url, String canonicalUrl, String description, String imageUrl,
            String imageAlt, String imageCaption, String imageCredit, String author, String publishedIso,
            String publishedLabel, String modifiedIso, String language, String bodyHtml, List<TopicLink> topics,
            List<Teaser> related, String jsonLd, String activityUrl, List<ResponseView> responses) {

        /** The image link cards show (og:image): an uploaded image's 1200×630 variant. */
        public String cardImageUrl() {
            return MediaUrls.card(imageUrl);
        }
    }
}
