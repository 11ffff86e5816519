package dev.gazette.social.spi;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counting and cutting text by user-perceived characters (extended grapheme clusters): a flag, a skin-toned emoji or
 * a ZWJ family is one, and is never cut in half. Uses the regex {@code \X}, which follows Unicode's cluster rules on
 * Java 17 (unlike {@code java.text.BreakIterator} there, which splits emoji sequences).
 */
public final class Graphemes {

    public static final String ELLIPSIS = "…";
    private static final Pattern CLUSTER = Pattern.compile("\\X");

    private Graphemes() {
    }

    public static int count(String text) {
        Matcher m = CLUSTER.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** The first {@code n} clusters (all of the text if it has fewer). */
    public static String prefix(String text, int n) {
        Matcher m = CLUSTER.matcher(text);
        int end = 0;
        for (int i = 0; i < n && m.find(); i++) {
            end = m.end();
        }
        return text.substring(0, end);
    }

    /**
     * The text cut to at most {@code max} clusters, counting the ellipsis that marks a cut; whitespace before the
     * ellipsis is dropped. Zero gives the empty string.
     */
    public static String truncate(String text, int max) {
        if (max <= 0) {
            return "";
        }
        if (count(text) <= max) {
            return text;
        }
        return prefix(text, max - 1).stripTrailing() + ELLIPSIS;
    }

    /** Whether a cluster is shown as an emoji (pictographs, flags, keycaps, ZWJ and variation-selector sequences). */
    static boolean isEmoji(String cluster) {
        int first = cluster.codePointAt(0);
        return first >= 0x1F000 || (first >= 0x2600 && first <= 0x27BF) || (first >= 0x2B00 && first <= 0x2BFF)
                || cluster.indexOf('\uFE0F') >= 0 || cluster.indexOf('\u200D') >= 0 || cluster.indexOf('\u20E3') >= 0;
    }

    static Matcher clusters(String text) {
        return CLUSTER.matcher(text);
    }
}
