package dev.gazette.social.connector.linkedin;

/**
 * LinkedIn's "little" text format, used by the {@code commentary} of the Posts API
 * (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/little-text-format). Its reserved
 * characters must be backslash-escaped to be shown as themselves; unescaped, LinkedIn may read them as mentions or
 * templates and silently cut the text at the first one.
 */
final class LittleText {

    /** The reserved characters: {@code \ | { } @ [ ] ( ) < > # * _ ~}. */
    static final String RESERVED = "\\|{}@[]()<>#*_~";

    private LittleText() {
    }

    /**
     * Plain text as little text: a backslash before each reserved character, everywhere, URLs and hashtags included
     * (so {@code #rail} is shown as text, not as a hashtag element, and a URL's {@code _} keeps its meaning once
     * LinkedIn unescapes it).
     */
    static String escape(String plain) {
        StringBuilder out = new StringBuilder(plain.length() + 16);
        for (int i = 0; i < plain.length(); i++) {
            char c = plain.charAt(i);
            if (RESERVED.indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
