package dev.gazette.link;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gazette.common.SignedTokens;
import dev.gazette.common.config.SiteConfig;

/**
 * Lets a reader's clicks count as their activity without attributing clicks to readers anywhere else: the tracked
 * links of a mail carry one signed token naming the reader and the mail's send time (the same token in every link of
 * the message), and the redirect hands it to {@link ReaderActivity}. The token never reaches the link's target.
 */
@ApplicationScoped
public class ReaderClicks {

    /** The query parameter of the token on a tracked link. */
    public static final String PARAM = "rt";
    static final String PURPOSE = "act";
    /** Longer values are not tokens of ours; they are not kept, so a flood of long ones costs no memory. */
    private static final int MAX_TOKEN_LENGTH = 200;

    private final SignedTokens tokens;
    private final String shortUrlPrefix;
    private final Duration ttl;

    ReaderClicks(SignedTokens tokens, SiteConfig site, LinksConfig config) {
        this.tokens = tokens;
        this.shortUrlPrefix = TrackedLinkService.shortUrlPrefix(site.baseUrl());
        this.ttl = config.readerTokenTtl();
    }

    /** Who clicked and when the mail they clicked in was sent, from a valid token. */
    public record Click(long readerId, Instant sentAt) {
    }

    /**
     * {@code url} with the reader's token when it is one of this site's tracked links ({@code /r/{code}}); any other
     * URL unchanged. For many links of one message, take a {@link #tagger} instead: the token is signed once.
     */
    public String tag(String url, long readerId, Instant sentAt) {
        return tagger(readerId, sentAt).url(url);
    }

    /** Tags the links of one message, for this reader and send time. */
    public Tagger tagger(long readerId, Instant sentAt) {
        return new Tagger(shortUrlPrefix, tokens.sign(PURPOSE, readerId, sentAt.getEpochSecond(), sentAt.plus(ttl)));
    }

    /** The click a token stands for, or null when it is not a valid, unexpired token of ours. */
    public Click check(String token) {
        if (tokens.check(token, PURPOSE) instanceof SignedTokens.Valid valid) {
            return new Click(valid.subject(), Instant.ofEpochSecond(valid.nonce()));
        }
        return null;
    }

    /**
     * The token parameter of a raw query string (no decoding: tokens are URL-safe), or null without one; an overlong
     * value comes back empty (invalid). Cheap enough for the redirect's I/O thread: a scan of the query, no map.
     */
    public static String tokenOf(String query) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        int from = 0;
        while (from < query.length()) {
            int end = query.indexOf('&', from);
            if (end < 0) {
                end = query.length();
            }
            if (end - from > PARAM.length() && query.startsWith(PARAM, from) && query.charAt(from + PARAM.length()) == '=') {
                int start = from + PARAM.length() + 1;
                return end - start > MAX_TOKEN_LENGTH ? "" : query.substring(start, end);
            }
            from = end + 1;
        }
        return null;
    }

    /**
     * Puts one message's token on its tracked links: on single URLs, and on every tracked link inside rendered HTML or
     * text (a digest's shared, pre-rendered article blocks), in one pass without parsing.
     */
    public static final class Tagger {

        private final String prefix;
        private final String token;

        Tagger(String prefix, String token) {
            this.prefix = prefix;
            this.token = token;
        }

        /** The URL with the token when it is a tracked link of this site, else unchanged. */
        public String url(String url) {
            if (url == null || !url.startsWith(prefix)) {
                return url;
            }
            return tagAll(url, "&");
        }

        /** Rendered HTML with the token on every tracked link; the same string when there is none. */
        public String html(String content) {
            return tagAll(content, "&amp;");
        }

        /** Rendered plain text with the token on every tracked link; the same string when there is none. */
        public String text(String content) {
            return tagAll(content, "&");
        }

        /** Appends {@code content}, tagged, to {@code out}. */
        public void appendTo(StringBuilder out, String content, boolean html) {
            if (content.indexOf(prefix) < 0) {
                out.append(content);
                return;
            }
            append(out, content, html ? "&amp;" : "&");
        }

        private String tagAll(String content, String ampersand) {
            if (content == null || content.indexOf(prefix) < 0) {
                return content;
            }
            StringBuilder out = new StringBuilder(content.length() + 4 * (token.length() + 8));
            append(out, content, ampersand);
            return out.toString();
        }

        private void append(StringBuilder out, String content, String ampersand) {
            int copied = 0;
            int at = content.indexOf(prefix);
            while (at >= 0) {
                int end = codeEnd(content, at);
                if (end > 0 && (end == content.length() || endsCode(content.charAt(end))) && !tagged(content, end)) {
                    out.append(content, copied, end);
                    if (end < content.length() && content.charAt(end) == '?') {
                        // a query already there: the token goes first, the rest follows it
                        out.append('?').append(PARAM).append('=').append(token).append(ampersand);
                        end++;
                    } else {
                        out.append('?').append(PARAM).append('=').append(token);
                    }
                    copied = end;
                }
                at = content.indexOf(prefix, at + prefix.length());
            }
            out.append(content, copied, content.length());
        }

        /** Where a well-formed code after the prefix at {@code at} ends, or -1. */
        private int codeEnd(String content, int at) {
            int start = at + prefix.length();
            int end = start + LinkCodes.LENGTH;
            if (end > content.length()) {
                return -1;
            }
            for (int i = start; i < end; i++) {
                char c = content.charAt(i);
                if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                    return -1;
                }
            }
            return end;
        }

        /** Whether the link ending at {@code end} carries a token already. */
        private static boolean tagged(String content, int end) {
            return content.startsWith("?" + PARAM + "=", end);
        }

        /** A character that can follow a code in a link: not one more code character, and not a path. */
        private static boolean endsCode(char c) {
            return !(Character.isLetterOrDigit(c) || c == '/' || c == '-' || c == '_');
        }
    }
}
