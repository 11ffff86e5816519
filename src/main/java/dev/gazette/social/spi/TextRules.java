package dev.gazette.social.spi;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A network's text limit and how it counts towards it.
 *
 * @param limit the largest length the network accepts
 * @param unit what {@link #length} counts, as shown to editors ("characters", "graphemes", "weighted characters")
 */
public record TextRules(int limit, String unit, Counter counter) {

    /** Measures text the way one network does. */
    @FunctionalInterface
    public interface Counter {
        int length(String text);
    }

    static final Pattern URL = Pattern.compile("https?://\\S+");

    public int length(String text) {
        return counter.length(text);
    }

    public boolean fits(String text) {
        return length(text) <= limit;
    }

    /** User-perceived characters (Bluesky). */
    public static TextRules graphemes(int limit) {
        return new TextRules(limit, "graphemes", Graphemes::count);
    }

    /** Unicode code points, each URL counting as {@code urlWeight} whatever its length (Mastodon). */
    public static TextRules codePoints(int limit, int urlWeight) {
        return new TextRules(limit, "characters", text -> {
            Matcher m = URL.matcher(text);
            int length = 0;
            int last = 0;
            while (m.find()) {
                length += text.codePointCount(last, m.start()) + urlWeight;
                last = m.end();
            }
            return length + text.codePointCount(last, text.length());
        });
    }

    /** UTF-16 code units, as JavaScript and Telegram count (an emoji outside the BMP is two). */
    public static TextRules utf16(int limit) {
        return new TextRules(limit, "characters", String::length);
    }

    /** UTF-8 bytes (a hard cap some APIs add to their character limit). */
    public static int utf8Bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * X's weighted count (twitter-text version 3): after NFC normalisation, each URL counts 23; an emoji (however many
     * code points) counts 2; code points in Latin and common punctuation ranges count 1 and all others (CJK among
     * them) 2. The limit is 280.
     */
    public static TextRules twitter() {
        return new TextRules(280, "weighted characters", TextRules::twitterLength);
    }

    static int twitterLength(String raw) {
        String text = Normalizer.normalize(raw, Normalizer.Form.NFC);
        Matcher urls = URL.matcher(text);
        int length = 0;
        int last = 0;
        while (urls.find()) {
            length += twitterPlain(text.substring(last, urls.start())) + 23;
            last = urls.end();
        }
        return length + twitterPlain(text.substring(last));
    }

    private static int twitterPlain(String text) {
        Matcher m = Graphemes.clusters(text);
        int length = 0;
        while (m.find()) {
            String cluster = m.group();
            if (Graphemes.isEmoji(cluster)) {
                length += 2;
                continue;
            }
            for (int i = 0; i < cluster.length();) {
                int cp = cluster.codePointAt(i);
                boolean light = cp <= 4351 || (cp >= 8192 && cp <= 8205) || (cp >= 8208 && cp <= 8223)
                        || (cp >= 8242 && cp <= 8247);
                length += light ? 1 : 2;
                i += Character.charCount(cp);
            }
        }
        return length;
    }
}
