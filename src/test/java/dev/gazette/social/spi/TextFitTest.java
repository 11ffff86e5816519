package dev.gazette.social.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class TextFitTest {

    private static final String FAMILY = "👨‍👩‍👧‍👦"; // 7 code points joined by ZWJ: one grapheme
    private static final String FLAG = "🇫🇷"; // two regional indicators: one grapheme
    private static final String THUMB = "👍🏽"; // emoji and skin tone: one grapheme
    private static final TextFit.Template PLAIN = (t, s, h, l) -> t + "\n\n" + s + "\n\n" + l + "\n\n" + h;
    private static final String LINK = "https://news.example.org/r/AbCdEfGhJk";

    @Test
    void graphemesCountFlagsFamiliesAndSkinTonesAsOne() {
        assertEquals(5, Graphemes.count("a" + FAMILY + FLAG + THUMB + "é"));
        assertEquals(3, Graphemes.count("e\u0301" + "東京")); // e + combining accent is one
    }

    @Test
    void truncationNeverSplitsAGrapheme() {
        String text = "Hi " + FAMILY + FLAG + " there";
        assertEquals("Hi " + FAMILY + "…", Graphemes.truncate(text, 5));
        assertEquals("Hi " + FAMILY + FLAG + "…", Graphemes.truncate(text, 6));
        assertEquals("Hi…", Graphemes.truncate(text, 4), "the space before the ellipsis goes");
        assertEquals(text, Graphemes.truncate(text, 12));
        assertEquals("", Graphemes.truncate(text, 0));
        assertEquals(FLAG + FLAG + "…", Graphemes.truncate(FLAG.repeat(10), 3), "never half a flag");
    }

    @Test
    void mastodonCountsCodePointsAndEveryUrlAs23() {
        TextRules rules = TextRules.codePoints(500, 23);
        assertEquals(5 + 23, rules.length("Read " + LINK));
        assertEquals(7, rules.length(FAMILY), "code points");
        assertEquals(2, rules.length("東京"));
    }

    @Test
    void xWeighsCjkAndEmojiTwiceAndUrls23() {
        TextRules x = TextRules.twitter();
        assertEquals(280, x.limit());
        assertEquals(4, x.length("東京"));
        assertEquals(2, x.length(FAMILY));
        assertEquals(2, x.length(FLAG));
        assertEquals(6 + 23, x.length("Read: " + LINK));
        assertEquals(3, x.length("ab—")); // the em dash is in the light punctuation range
    }

    @Test
    void utf16CountsSurrogatePairsTwice() {
        assertEquals(2, TextRules.utf16(4096).length(THUMB.substring(0, 2)));
        assertEquals(11, TextRules.utf16(4096).length(FAMILY));
    }

    @Test
    void aTextThatFitsIsLeftAlone() {
        String text = TextFit.fit(PLAIN, "Title", "Summary", List.of("#Climate"), LINK, TextRules.graphemes(300));
        assertEquals("Title\n\nSummary\n\n" + LINK + "\n\n#Climate", text);
    }

    @Test
    void theSummaryShrinksFirstThenHashtagsThenTheTitleAndTheLinkStaysWhole() {
        TextRules bluesky = TextRules.graphemes(300);
        String title = "東京 " + FAMILY + " " + "Long title ".repeat(10).strip();
        String summary = FLAG + " " + "A summary that goes on. ".repeat(20).strip();
        String text = TextFit.fit(PLAIN, title, summary, List.of("#Climate", "#Tokyo"), LINK, bluesky);
        assertEquals(300, Graphemes.count(text));
        assertTrue(text.startsWith(title + "\n\n" + FLAG + " A summary"), text);
        assertTrue(text.endsWith("…\n\n" + LINK + "\n\n#Climate #Tokyo"), text);

        String withoutSummary = title + "\n\n" + LINK + "\n\n#Climate #Tokyo";
        String noRoom = TextFit.fit(PLAIN, title, summary, List.of("#Climate", "#Tokyo"), LINK,
                TextRules.graphemes(Graphemes.count(withoutSummary) + 2));
        assertEquals(withoutSummary, noRoom, "summary gone (an ellipsis alone needs 3 more), hashtags kept");
        String oneTag = TextFit.fit(PLAIN, title, summary, List.of("#Climate", "#Tokyo"), LINK,
                TextRules.graphemes(Graphemes.count(withoutSummary) - 1));
        assertTrue(oneTag.endsWith("\n\n" + LINK + "\n\n#Climate"), "then hashtags go from the end: " + oneTag);
        assertTrue(oneTag.startsWith(title + "\n\n" + FLAG), "and the room made serves the summary again: " + oneTag);
        assertEquals(Graphemes.count(withoutSummary) - 1, Graphemes.count(oneTag));

        String tiny = TextFit.fit(PLAIN, title, summary, List.of("#Climate", "#Tokyo"), LINK, TextRules.graphemes(60));
        assertTrue(tiny.endsWith("…\n\n" + LINK), tiny);
        assertTrue(tiny.startsWith("東京 " + FAMILY + " Long"), tiny);
        assertTrue(Graphemes.count(tiny) <= 60);

        assertEquals("…\n\n" + LINK, TextFit.fit(PLAIN, title, summary, List.of(), LINK, TextRules.graphemes(40)));
        assertEquals(LINK, TextFit.fit(PLAIN, title, summary, List.of(), LINK, TextRules.graphemes(39)));
    }

    @Test
    void xLimitCountsTheLinkAs23WhateverItsLength() {
        String longLink = "https://news.example.org/r/" + "x".repeat(100);
        String text = TextFit.fit(PLAIN, "標題".repeat(200), "", List.of(), longLink, TextRules.twitter());
        assertTrue(TextRules.twitter().length(text) <= 280, text);
        assertTrue(TextRules.twitter().length(text) >= 278, text);
        assertTrue(text.endsWith("…\n\n" + longLink), text);
    }
}
