package dev.gazette.social.connector.bluesky;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.gazette.social.connector.bluesky.Facets.Facet;

class FacetsTest {

    @Test
    void linkAfterEmojiAndCjkIsAddressedInUtf8Bytes() {
        String text = "🎉 日本語 https://gazette.example/a";
        // Java puts the link at char index 7 (the emoji is two UTF-16 units); in UTF-8 it starts at byte 15:
        // 🎉 = 4 bytes, space = 1, 日本語 = 3 × 3 bytes, space = 1.
        assertEquals(7, text.indexOf("https://"));

        List<Facet> facets = Facets.of(text, "https://gazette.example/a");

        assertEquals(List.of(new Facet(15, 40, Facets.LINK, "https://gazette.example/a")), facets);
        assertEquals("https://gazette.example/a", slice(text, facets.get(0)));
    }

    @Test
    void zwjFamilyFlagLinkAndHashtags() {
        // 👨‍👩‍👧 = 3 emoji (4 bytes each) + 2 ZWJ (3 bytes each) = 18 bytes; 🇯🇵 = 2 regional indicators = 8 bytes.
        String text = "👨‍👩‍👧🇯🇵 Read: https://g.example/x #日本 #news.";

        List<Facet> facets = Facets.of(text, "https://g.example/x");

        assertEquals(List.of(
                new Facet(33, 52, Facets.LINK, "https://g.example/x"),
                new Facet(53, 60, Facets.TAG, "日本"),
                new Facet(61, 66, Facets.TAG, "news")), facets);
        assertEquals("#日本", slice(text, facets.get(1)));
        assertEquals("#news", slice(text, facets.get(2)));
    }

    @Test
    void onlyRealHashtagsBecomeTags() {
        String text = "#2024 x#inside https://a.example/p#frag #️⃣ ＃全角 #open-source! #café";

        List<Facet> facets = Facets.of(text, "https://a.example/p#frag");

        // numbers, a '#' inside a word, a URL fragment and the keycap emoji are not tags; a fullwidth ＃ is
        assertEquals(List.of("https://a.example/p#frag", "全角", "open-source", "café"),
                facets.stream().map(Facet::value).toList());
        assertEquals(List.of(Facets.LINK, Facets.TAG, Facets.TAG, Facets.TAG),
                facets.stream().map(Facet::type).toList());
        assertEquals("＃全角", slice(text, facets.get(1)));
        assertEquals(new Facet(58, 70, Facets.TAG, "open-source"), facets.get(2));
    }

    @Test
    void linkThatIsOnlyAPrefixOfALongerUrlIsNotFaceted() {
        assertEquals(List.of(), Facets.of("see https://a.example/p2 now", "https://a.example/p"));
        assertEquals(List.of(new Facet(5, 24, Facets.LINK, "https://a.example/p")),
                Facets.of("see (https://a.example/p).", "https://a.example/p"));
    }

    @Test
    void noLinkNoFacets() {
        assertEquals(List.of(), Facets.of("Just words", null));
    }

    @Test
    void tooLongTagIsLeftPlain() {
        String tag = "a".repeat(65);
        assertEquals(List.of(), Facets.of("#" + tag, null));
        assertEquals(1, Facets.of("#" + "a".repeat(64), null).size());
    }

    @Test
    void jsonIsBlueskysFacetShape() {
        String json = Facets.toJson(List.of(new Facet(15, 40, Facets.LINK, "https://gazette.example/a"),
                new Facet(41, 49, Facets.TAG, "climate"))).toString();

        assertEquals("[{\"index\":{\"byteStart\":15,\"byteEnd\":40},\"features\":[{\"$type\":"
                + "\"app.bsky.richtext.facet#link\",\"uri\":\"https://gazette.example/a\"}]},"
                + "{\"index\":{\"byteStart\":41,\"byteEnd\":49},\"features\":[{\"$type\":"
                + "\"app.bsky.richtext.facet#tag\",\"tag\":\"climate\"}]}]", json);
    }

    private static String slice(String text, Facet facet) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new String(Arrays.copyOfRange(bytes, facet.byteStart(), facet.byteEnd()), StandardCharsets.UTF_8);
    }
}
