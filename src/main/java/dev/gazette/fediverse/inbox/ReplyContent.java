package dev.gazette.fediverse.inbox;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.safety.Safelist;

/**
 * The HTML of a reply as it may be shown: through the same jsoup allow-list mechanism as article bodies, but only text,
 * paragraphs, line breaks and http(s) links, each marked {@code rel="nofollow ugc noopener"} (the link is the author's,
 * not the publication's). Mentions and hashtags keep their text and link; everything else keeps only its text.
 */
final class ReplyContent {

    /** The longest reply content taken, in characters, before sanitising: Mastodon allows 500, others a few thousand. */
    static final int MAX_LENGTH = 20_000;

    private static final Safelist SAFELIST = new Safelist()
            .addTags("p", "br", "a")
            .addAttributes("a", "href")
            .addProtocols("a", "href", "http", "https")
            .addEnforcedAttribute("a", "rel", "nofollow ugc noopener");
    private static final Document.OutputSettings OUTPUT = new Document.OutputSettings().prettyPrint(false);

    private ReplyContent() {
    }

    /** Sanitised HTML of a Note's {@code content}. */
    static String sanitise(String html) {
        return Jsoup.clean(html, "", SAFELIST, OUTPUT).strip();
    }

    /** Whether sanitised HTML shows anything (text or a link). */
    static boolean blank(String sanitised) {
        return Jsoup.parse(sanitised).text().isBlank();
    }
}
