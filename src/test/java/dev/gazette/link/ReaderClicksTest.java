package dev.gazette.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The reader's token on tracked links, as the lifecycle mail and the digest put it there: only this site's short URLs
 * get it, one token per message, readable back only while it is genuine and unexpired.
 */
@QuarkusTest
class ReaderClicksTest extends LinkTestBase {

    private static final String SHORT = "http://localhost:8080/r/AbCdEfGhJk";
    private static final Instant SENT = Instant.parse("2026-03-02T09:00:00Z");

    @Inject
    ReaderClicks readerClicks;

    private String tokenOf(String url) {
        return url.substring(url.indexOf("rt=") + 3);
    }

    @Test
    void shouldTagOnlyThisSitesTrackedLinks() {
        String tagged = readerClicks.tag(SHORT, 42, SENT);
        assertTrue(tagged.startsWith(SHORT + "?rt="), tagged);
        assertEquals(new ReaderClicks.Click(42, SENT), readerClicks.check(tokenOf(tagged)));

        assertEquals("https://elsewhere.example/r/AbCdEfGhJk", readerClicks.tag("https://elsewhere.example/r/AbCdEfGhJk", 42, SENT));
        assertEquals("http://localhost:8080/articles/storm", readerClicks.tag("http://localhost:8080/articles/storm", 42, SENT));
        assertEquals(SHORT + "x", readerClicks.tag(SHORT + "x", 42, SENT), "not a code: one character too many");
        assertEquals("http://localhost:8080/r/short", readerClicks.tag("http://localhost:8080/r/short", 42, SENT));
        assertEquals(tagged, readerClicks.tag(tagged, 42, SENT), "tagged once");
    }

    @Test
    void shouldKeepAQueryAndFragmentInPlace() {
        String query = readerClicks.tag(SHORT + "?x=1#top", 42, SENT);
        assertTrue(query.matches("\\Q" + SHORT + "?rt=\\E[A-Za-z0-9_.-]+&x=1#top"), query);
        String fragment = readerClicks.tag(SHORT + "#top", 42, SENT);
        assertTrue(fragment.matches("\\Q" + SHORT + "?rt=\\E[A-Za-z0-9_.-]+#top"), fragment);
    }

    @Test
    void shouldTagEveryTrackedLinkOfAMessageWithOneToken() {
        ReaderClicks.Tagger tagger = readerClicks.tagger(7, SENT);
        String html = "<a href=\"" + SHORT + "\">A</a> <a href=\"http://localhost:8080/r/ZyXwVuTsRq?x=1\">B</a>"
                + " <a href=\"http://localhost:8080/about\">C</a>";
        String tagged = tagger.html(html);
        String token = tokenOf(tagger.url(SHORT));
        assertEquals("<a href=\"" + SHORT + "?rt=" + token + "\">A</a> <a href=\"http://localhost:8080/r/ZyXwVuTsRq?rt="
                + token + "&amp;x=1\">B</a> <a href=\"http://localhost:8080/about\">C</a>", tagged);
        String text = "Read: " + SHORT + "\nMore: http://localhost:8080/about\n";
        assertEquals("Read: " + SHORT + "?rt=" + token + "\nMore: http://localhost:8080/about\n", tagger.text(text));
        String plain = "No tracked link here.";
        assertSame(plain, tagger.text(plain), "nothing copied without a tracked link");
    }

    @Test
    void shouldReadBackOnlyGenuineUnexpiredTokens() {
        String token = tokenOf(readerClicks.tag(SHORT, 42, SENT));
        assertNotNull(readerClicks.check(token));
        assertNull(readerClicks.check(token.substring(0, token.length() - 8) + "AAAAAAAA"));
        assertNull(readerClicks.check("not-a-token"));
        assertNull(readerClicks.check(null));
        clock.set(SENT.plus(Duration.ofDays(366)));
        assertNull(readerClicks.check(token), "past gazette.links.reader-token-ttl");
    }

    @Test
    void shouldFindTheTokenInARawQuery() {
        assertEquals("abc.def", ReaderClicks.tokenOf("rt=abc.def"));
        assertEquals("abc.def", ReaderClicks.tokenOf("x=1&rt=abc.def&y=2"));
        assertNull(ReaderClicks.tokenOf("xrt=abc&art=1"));
        assertNull(ReaderClicks.tokenOf(null));
        assertEquals("", ReaderClicks.tokenOf("rt=" + "a".repeat(201)), "overlong: kept as nothing, judged invalid");
    }
}
