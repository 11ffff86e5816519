package dev.gazette.article;

import java.util.List;

/**
 * What an editor or an import supplies for an article. Null fields on update mean "leave as is".
 */
public record ArticleInput(String title, String slug, String summary, String body, BodyFormat bodyFormat,
        String imageUrl, String imageAlt, String imageCaption, String imageCredit, String author,
        List<String> topics, String language, String canonicalUrl) {
}
