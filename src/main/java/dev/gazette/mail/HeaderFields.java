package dev.gazette.mail;

import java.io.UnsupportedEncodingException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.mail.internet.MimeUtility;

import dev.gazette.common.error.Problem;

/**
 * The one place that says what a user-set value may hold to go into a header: a mail header (a newsletter's name,
 * sender name and addresses, an issue's subject) or an HTTP one (a social channel's credentials), and how a display
 * name travels. Control characters are refused when a value is
 * saved: a line break would end the header, a NUL or C1 control breaks the SMTP client. Display names with
 * {@code < > , " ( ) : ; @ [ ] \} are legal: they go out as RFC 2047 encoded-words.
 */
public final class HeaderFields {

    /** What an editor reads next to a field holding control characters. */
    public static final String CONTROL_CHARACTERS = "must not contain control characters (line breaks, tabs, NUL and the like)";

    /**
     * Characters a display name can carry between double quotes through every SMTP client Gazette uses (the Vert.x
     * encoder refuses {@code <} even quoted, and encodes a quoted non-ASCII name with its quotes).
     */
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9 !#$%&'*+\\-/=?^_`{|}~.]*");
    private static final Pattern ENCODED_WORDS = Pattern.compile("=\\?[^?\\s]+\\?[BbQq]\\?[^?\\s]*\\?=(\\s+=\\?[^?\\s]+\\?[BbQq]\\?[^?\\s]*\\?=)*");

    private HeaderFields() {
    }

    /** C0 controls (CR, LF and tab among them), DEL, C1 controls and the Unicode line and paragraph separators. */
    public static boolean hasControlCharacters(String value) {
        if (value == null) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (isControl(value.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isControl(char c) {
        return c < 0x20 || c >= 0x7f && c <= 0x9f || c == '\u2028' || c == '\u2029';
    }

    /** Adds a violation naming {@code field} when its value cannot go into a header. */
    public static void check(String field, String value, List<Problem.Violation> problems) {
        if (hasControlCharacters(value)) {
            problems.add(new Problem.Violation(field, CONTROL_CHARACTERS));
        }
    }

    /** The first of these fields (in the map's order) whose value cannot go into a header: one stored before the checks. */
    public static Optional<String> firstUnfit(Map<String, String> fields) {
        return fields.entrySet().stream().filter(e -> hasControlCharacters(e.getValue())).map(Map.Entry::getKey).findFirst();
    }

    /** Control characters become spaces: for text from elsewhere (an article's title) on its way into a subject. */
    public static String flatten(String value) {
        if (!hasControlCharacters(value)) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            out.append(isControl(c) ? ' ' : c);
        }
        return out.toString();
    }

    /**
     * A mailbox for From or Reply-To: {@code "Name" <address>} for an ordinary ASCII name, the name as RFC 2047
     * encoded-words when it holds characters with a meaning in an address or outside ASCII ({@code Ann "The <Boss>",
     * Inc.} and {@code Zoë's Café} read back exactly so),
     * the bare address without a name. The values must have passed {@link #check}.
     */
    public static String mailbox(String name, String address) {
        if (name == null || name.isBlank()) {
            return address;
        }
        if (PLAIN_NAME.matcher(name).matches()) {
            return "\"" + name + "\" <" + address + ">";
        }
        return encodedWords(name) + " <" + address + ">";
    }

    /** Whether a display name is already encoded-words (as {@link #mailbox} writes them), to be written as it is. */
    static boolean isEncodedWords(String name) {
        return name != null && ENCODED_WORDS.matcher(name).matches();
    }

    /** Base64 encoded-words, split between characters so that each word decodes on its own and stays within 75 characters. */
    static String encodedWords(String text) {
        try {
            return MimeUtility.encodeWord(text, "UTF-8", "B");
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
