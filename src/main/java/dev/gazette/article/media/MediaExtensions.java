package dev.gazette.article.media;

import io.quarkus.qute.TemplateExtension;

/** Templates reach an image's variants as {@code {media:thumb(url)}}, {@code {media:card(url)}}, {@code {media:small(url)}}. */
@TemplateExtension(namespace = "media")
public final class MediaExtensions {

    private MediaExtensions() {
    }

    static String card(String url) {
        return MediaUrls.card(url);
    }

    static String thumb(String url) {
        return MediaUrls.thumb(url);
    }

    static String small(String url) {
        return MediaUrls.small(url);
    }

    static boolean uploaded(String url) {
        return MediaUrls.uploaded(url);
    }
}
