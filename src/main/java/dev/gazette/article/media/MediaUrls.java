package dev.gazette.article.media;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The addresses of an uploaded image's variants. An upload is stored as {@code /media/<name>.jpg} (the image itself,
 * at most {@link MediaService#LARGEST} pixels on its long side) and three variants made at upload:
 * {@code <name>-card.jpg} (1200×630, link cards and digests), {@code <name>-thumb.jpg} (400×225, lists) and
 * {@code <name>-small.jpg} (160×90, the editor's lists). An image given by URL (imported from a feed, or set through
 * the API) has no variants: every variant of it is the URL itself.
 */
public final class MediaUrls {

    /** The image's address on this site: {@code …/media/} and the name (32 hex digits), then {@code .jpg}. */
    private static final Pattern UPLOADED = Pattern.compile("^(https?://[^?#]*/media/)([0-9a-f]{32})\\.jpg$");

    /** The variants made at upload, with the file name suffix each gets. */
    public enum Variant {
        CARD("-card", 1200, 630), THUMB("-thumb", 400, 225), SMALL("-small", 160, 90);

        final String suffix;
        final int width;
        final int height;

        Variant(String suffix, int width, int height) {
            this.suffix = suffix;
            this.width = width;
            this.height = height;
        }
    }

    private MediaUrls() {
    }

    /** Whether {@code url} is an image uploaded here. */
    public static boolean uploaded(String url) {
        return url != null && UPLOADED.matcher(url).matches();
    }

    /** The 1200×630 card of an uploaded image, or {@code url} as it is. */
    public static String card(String url) {
        return variant(url, Variant.CARD);
    }

    /** The 400×225 thumbnail of an uploaded image, or {@code url} as it is. */
    public static String thumb(String url) {
        return variant(url, Variant.THUMB);
    }

    /** The 160×90 thumbnail of an uploaded image, or {@code url} as it is. */
    public static String small(String url) {
        return variant(url, Variant.SMALL);
    }

    static String variant(String url, Variant variant) {
        if (url == null) {
            return null;
        }
        Matcher m = UPLOADED.matcher(url);
        return m.matches() ? m.group(1) + m.group(2) + variant.suffix + ".jpg" : url;
    }
}
