package dev.gazette.mail.bounce;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Field clean-up shared by the bounce parsers.
 */
final class Reports {

    static final int MAX_DIAGNOSTIC = 500;

    private static final Pattern STATUS = Pattern.compile("(?<![\\d.])([245])\\.(\\d{1,3})\\.(\\d{1,3})(?![\\d.])");

    private Reports() {
    }

    /** {@code <Jane@Example.ORG>} becomes {@code Jane@example.org}; the local part keeps its case, which may matter. */
    static String address(String raw) {
        String a = blankToNull(raw);
        if (a == null) {
            return null;
        }
        if (a.startsWith("<") && a.endsWith(">")) {
            a = a.substring(1, a.length() - 1).trim();
        }
        int at = a.lastIndexOf('@');
        String normalised = at < 0 ? a : a.substring(0, at + 1) + a.substring(at + 1).toLowerCase(Locale.ROOT);
        return normalised.isEmpty() ? null : normalised;
    }

    /** The first RFC 3463 code in the text, or null. */
    static String status(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = STATUS.matcher(text);
        return m.find() ? m.group(1) + "." + Integer.parseInt(m.group(2)) + "." + Integer.parseInt(m.group(3)) : null;
    }

    static String diagnostic(String text) {
        String d = blankToNull(text);
        if (d == null || d.length() <= MAX_DIAGNOSTIC) {
            return d;
        }
        int end = Character.isHighSurrogate(d.charAt(MAX_DIAGNOSTIC - 1)) ? MAX_DIAGNOSTIC - 1 : MAX_DIAGNOSTIC;
        return d.substring(0, end);
    }

    static String blankToNull(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        return t.isEmpty() ? null : t;
    }
}
