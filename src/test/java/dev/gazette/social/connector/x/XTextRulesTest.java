package dev.gazette.social.connector.x;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.gazette.social.spi.TextRules;

/** X counts text by weight (twitter-text v3): CJK and emoji 2, Latin 1, every URL 23; the limit is 280. */
class XTextRulesTest {

    private final TextRules rules = new XConnector("https://api.x.com", null).textRules(null);

    @Test
    void limitIs280WeightedCharacters() {
        assertEquals(280, rules.limit());
        assertEquals("weighted characters", rules.unit());
    }

    @Test
    void cjkCountsTwoEach() {
        assertEquals(16, rules.length("日本語のテキスト")); // 8 CJK characters
        assertEquals(7 + 2 * 2, rules.length("Seoul: 서울")); // "Seoul: " is 7, two Hangul syllables weigh 2 each
        assertTrue(rules.fits("漢".repeat(140)));
        assertFalse(rules.fits("漢".repeat(141)));
    }

    @Test
    void anEmojiZwjFamilyCountsTwo() {
        String family = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67\u200D\uD83D\uDC66"; // 👨‍👩‍👧‍👦, 7 code points
        assertEquals(2, rules.length(family));
        assertEquals(2 + 1 + 2, rules.length(family + " " + "\uD83C\uDDEF\uD83C\uDDF5")); // family, space, flag 🇯🇵
    }

    @Test
    void aUrlCountsTwentyThreeWhateverItsLength() {
        String longUrl = "https://gazette.example/l/Ab3?utm_source=x&utm_medium=social&utm_campaign=a-very-long-article-slug";
        assertEquals(5 + 23, rules.length("Read " + longUrl));
        assertEquals(23, rules.length("http://t.co"));
    }

    @Test
    void latinTextCountsOneAfterNormalisation() {
        assertEquals(4, rules.length("cafe\u0301")); // e + combining acute is one code point after NFC
        assertEquals(11, rules.length("hello world"));
    }
}
