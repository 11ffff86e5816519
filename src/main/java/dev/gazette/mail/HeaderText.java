package dev.gazette.mail;

import java.io.UnsupportedEncodingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.mail.internet.MimeUtility;

import io.quarkus.mailer.Mail;

/**
 * Header values outside ASCII, as RFC 2047 encoded-words. Mail clients and the SMTP encoders write extra headers
 * as they are given; a List-Id such as {@code Le Café du matin <cafe.news.example.org>} must travel as
 * {@code Le =?UTF-8?Q?Caf=C3=A9?= du matin <cafe.news.example.org>}, with the part in angle brackets untouched.
 */
final class HeaderText {

    private HeaderText() {
    }

    /** Encodes the non-ASCII values of the message's extra headers, in place; a subject loses its control characters. */
    static void encodeHeaders(Mail mail) {
        if (mail.getSubject() != null) {
            mail.setSubject(HeaderFields.flatten(mail.getSubject()));
        }
        for (Map.Entry<String, List<String>> header : mail.getHeaders().entrySet()) {
            List<String> values = header.getValue();
            if (values.stream().allMatch(HeaderText::isAscii)) {
                continue;
            }
            List<String> encoded = new ArrayList<>(values.size());
            values.forEach(v -> encoded.add(encode(v)));
            header.setValue(encoded);
        }
    }

    static boolean isAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 126 || c < 32 && c != '\t') {
                return false;
            }
        }
        return true;
    }

    /**
     * Each stretch of words from the first to the last non-ASCII one becomes one encoded-word; anything in angle
     * brackets (an id, an address, a URL) stays as it is. ASCII values come back unchanged.
     */
    static String encode(String value) {
        if (isAscii(value)) {
            return value;
        }
        String[] tokens = value.replaceAll("[\\r\\n]+", " ").split(" ", -1);
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < tokens.length) {
            if (bracketed(tokens[i])) {
                append(out, tokens[i++]);
                continue;
            }
            int end = i;
            while (end < tokens.length && !bracketed(tokens[end])) {
                end++;
            }
            int first = -1;
            int last = -1;
            for (int k = i; k < end; k++) {
                if (!isAscii(tokens[k])) {
                    first = first < 0 ? k : first;
                    last = k;
                }
            }
            for (int k = i; k < end; k++) {
                if (k == first) {
                    append(out, word(String.join(" ", Arrays.copyOfRange(tokens, first, last + 1))));
                    k = last;
                } else {
                    append(out, tokens[k]);
                }
            }
            i = end;
        }
        return out.toString();
    }

    private static boolean bracketed(String token) {
        return token.indexOf('<') >= 0 || token.indexOf('>') >= 0;
    }

    private static String word(String text) {
        try {
            return MimeUtility.encodeWord(text, "UTF-8", "Q");
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void append(StringBuilder out, String token) {
        if (!out.isEmpty()) {
            out.append(' ');
        }
        out.append(token);
    }
}
