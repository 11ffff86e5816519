package dev.gazette.article;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * URL slugs: lower-case ASCII words joined by dashes.
 */
public final class Slugs {

    public static final String PATTERN = "[a-z0-9]+(-[a-z0-9]+)*";
    private static final Pattern VALID = Pattern.compile(PATTERN);
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NON_WORD = Pattern.compile("[^a-z0-9]+");

    private Slugs() {
    }

    /** A slug from free text: accents dropped, anything else collapsed to dashes, cut at a word boundary. */
    public static String from(String text, String fallback, int maxLength) {
        String ascii = MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFKD)).replaceAll("")
                .replace("ß", "ss").replace("æ", "ae").replace("ø", "o").replace("œ", "oe").replace("ł", "l")
                .toLowerCase(Locale.ROOT);
        String slug = NON_WORD.matcher(ascii).replaceAll("-").replaceAll("^-+|-+$", "");
        if (slug.length() > maxLength) {
            slug = slug.substring(0, maxLength);
            int cut = slug.lastIndexOf('-');
            if (cut > maxLength / 2) {
                slug = slug.substring(0, cut);
            }
            slug = slug.replaceAll("-+$", "");
        }
        return slug.isEmpty() ? fallback : slug;
    }

    public static boolean isValid(String slug) {
        return slug != null && VALID.matcher(slug).matches();
    }
}
