package dev.gazette.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Small text helpers shared by several features.
 */
public final class Text {

    private Text() {
    }

    /** SHA-256 of the UTF-8 bytes, as lower-case hex. */
    public static String sha256Hex(String text) {
        return HexFormat.of().formatHex(sha256(text));
    }

    public static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text cut to at most {@code max} characters, an ellipsis marking a cut. */
    public static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /** Like {@link #truncate}, but cut at the last space when one is in the second half: for descriptions and teasers. */
    public static String truncateAtWord(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int cut = text.lastIndexOf(' ', max - 1);
        return text.substring(0, cut > max / 2 ? cut : max - 1) + "…";
    }

    /** At most {@code max} characters, cut without a mark (for stored values with a column limit); null stays null. */
    public static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    /** A URL or path without its trailing slashes, trimmed; null gives the empty string. */
    public static String withoutTrailingSlash(String url) {
        String u = url == null ? "" : url.trim();
        int end = u.length();
        while (end > 0 && u.charAt(end - 1) == '/') {
            end--;
        }
        return u.substring(0, end);
    }

    /** Escapes {@code %}, {@code _} and the escape character for a SQL {@code LIKE ... ESCAPE '!'} pattern. */
    public static String likeEscape(String s) {
        return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
