package dev.gazette.social.connector.bluesky;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gazette.social.spi.Graphemes;
import dev.gazette.social.spi.SocialHttp;

/**
 * Bluesky rich-text facets for a post's text: the tracked link and the hashtags. Bluesky shows a link as clickable
 * only when a facet points at it, and facets address the text by UTF-8 byte offsets (start inclusive, end
 * exclusive), not by Java char indexes: an emoji before the link shifts it by four bytes, a CJK character by three.
 */
public final class Facets {

    static final String LINK = "app.bsky.richtext.facet#link";
    static final String TAG = "app.bsky.richtext.facet#tag";

    /** Bluesky's limits for the tag value (without '#'). */
    static final int MAX_TAG_GRAPHEMES = 64;
    static final int MAX_TAG_BYTES = 640;

    /** A '#' (or fullwidth '＃') at the start of the text or after whitespace, and the run of non-space after it. */
    private static final Pattern HASHTAG = Pattern.compile("(?<!\\S)[#\uFF03](\\S+)");
    /** Characters that end a hashtag run: punctuation trailing the word is not part of the tag. */
    private static final Pattern TRAILING_PUNCTUATION = Pattern.compile("\\p{P}+$");
    /** A character that is neither a digit nor punctuation: a tag needs at least one. */
    private static final Pattern WORDY = Pattern.compile("[^\\p{Nd}\\p{P}]");
    /** Characters that may follow the link in the text without extending it. */
    private static final String AFTER_LINK = ")]}>\"'.,;:!?\u2026";

    /** One facet: a byte range of the UTF-8 text and what it is. */
    public record Facet(int byteStart, int byteEnd, String type, String value) {

        /** The facet as Bluesky's {@code app.bsky.richtext.facet} JSON. */
        ObjectNode toJson() {
            ObjectNode facet = SocialHttp.json().createObjectNode();
            facet.putObject("index").put("byteStart", byteStart).put("byteEnd", byteEnd);
            ObjectNode feature = facet.putArray("features").addObject().put("$type", type);
            feature.put(LINK.equals(type) ? "uri" : "tag", value);
            return facet;
        }
    }

    private Facets() {
    }

    /** The facets of {@code text}: every whole occurrence of {@code link} (may be null) and every hashtag. */
    public static List<Facet> of(String text, String link) {
        List<Facet> facets = new ArrayList<>();
        if (link != null && !link.isEmpty()) {
            for (int from = text.indexOf(link); from >= 0; from = text.indexOf(link, from + link.length())) {
                int end = from + link.length();
                if (end == text.length() || Character.isWhitespace(text.charAt(end))
                        || AFTER_LINK.indexOf(text.charAt(end)) >= 0) {
                    facets.add(new Facet(bytes(text, 0, from), bytes(text, 0, end), LINK, link));
                }
            }
        }
        List<Facet> links = List.copyOf(facets);
        Matcher m = HASHTAG.matcher(text);
        while (m.find()) {
            String tag = TRAILING_PUNCTUATION.matcher(m.group(1)).replaceFirst("");
            if (!isTag(tag)) {
                continue;
            }
            int start = m.start();
            int end = m.start(1) + tag.length();
            Facet facet = new Facet(bytes(text, 0, start), bytes(text, 0, end), TAG, tag);
            if (links.stream().noneMatch(l -> l.byteStart() < facet.byteEnd() && facet.byteStart() < l.byteEnd())) {
                facets.add(facet);
            }
        }
        facets.sort(Comparator.comparingInt(Facet::byteStart));
        return facets;
    }

    /** The facets as the JSON array of a post record's {@code facets}. */
    public static ArrayNode toJson(List<Facet> facets) {
        ArrayNode array = SocialHttp.json().createArrayNode();
        facets.forEach(f -> array.add(f.toJson()));
        return array;
    }

    /**
     * Whether a '#' run is a tag: not empty, not only digits and punctuation ("#1" is a number), not the keycap emoji
     * (# followed by a variation selector), and within Bluesky's length limits.
     */
    static boolean isTag(String tag) {
        if (tag.isEmpty() || tag.charAt(0) == '\uFE0F' || tag.charAt(0) == '\u20E3') {
            return false;
        }
        return WORDY.matcher(tag).find() && Graphemes.count(tag) <= MAX_TAG_GRAPHEMES
                && tag.getBytes(StandardCharsets.UTF_8).length <= MAX_TAG_BYTES;
    }

    private static int bytes(String text, int from, int to) {
        return text.substring(from, to).getBytes(StandardCharsets.UTF_8).length;
    }
}
