package dev.gazette.mail;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.mail.internet.MimeUtility;

import io.quarkus.mailer.Mail;

/**
 * Encodes a text + HTML message (a digest) as MIME bytes ready for SMTP DATA, in one pass over byte arrays.
 * <p>
 * The bulk writer used the Vert.x encoder before: it builds quoted-printable a character at a time through strings
 * (with {@code Integer.toHexString} per encoded byte) and parses every address with regular expressions, and took
 * half of the CPU Gazette spends on a digest. This encoder writes the same structure: headers (display names and a
 * non-ASCII subject as RFC 2047 encoded-words, long lines folded), {@code multipart/alternative} with a
 * {@code text/plain} and a {@code text/html} part, both UTF-8 in quoted-printable (RFC 2045: lines of at most 76
 * characters, soft breaks, {@code =} and everything outside printable ASCII encoded, spaces before a line break
 * encoded). Attachments are not its business: digests have none.
 */
final class MimeEncoder {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final int MAX_LINE = 76;

    private final String hostName;

    MimeEncoder(String hostName) {
        this.hostName = hostName;
    }

    /** An address as given ({@code Name <a@b>} or {@code a@b}), split into its parts. */
    record Address(String name, String email) {

        static Address parse(String value) {
            String v = value.strip();
            int open = v.lastIndexOf('<');
            if (open >= 0 && v.endsWith(">")) {
                String name = v.substring(0, open).strip();
                if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                    name = name.substring(1, name.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
                }
                return new Address(name.isEmpty() ? null : name, v.substring(open + 1, v.length() - 1).strip());
            }
            return new Address(null, v);
        }
    }

    byte[] encode(Mail mail, Instant now) {
        Out out = new Out(12 * 1024);
        header(out, "From", address(Address.parse(mail.getFrom())));
        header(out, "To", addresses(mail.getTo()));
        if (mail.getCc() != null && !mail.getCc().isEmpty()) {
            header(out, "Cc", addresses(mail.getCc()));
        }
        if (mail.getReplyTo() != null && !mail.getReplyTo().isBlank()) {
            // A list ("Doe, Jane" <j@example.org>, desk@example.org): split where a comma is outside quotes.
            header(out, "Reply-To", addresses(splitList(mail.getReplyTo())));
        }
        String subject = mail.getSubject() == null ? "" : oneLine(mail.getSubject());
        header(out, "Subject", HeaderText.isAscii(subject) ? subject : encodeText(subject));
        header(out, "Date", DATE.format(now));
        boolean messageId = false;
        for (Map.Entry<String, List<String>> entry : mail.getHeaders().entrySet()) {
            messageId |= entry.getKey().equalsIgnoreCase("Message-ID");
        }
        if (!messageId) {
            header(out, "Message-ID", "<" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "."
                    + Long.toHexString(now.toEpochMilli()) + "@" + hostName + ">");
        }
        header(out, "MIME-Version", "1.0");
        // Extra headers arrive RFC 2047 encoded (MailService does it for every transport).
        for (Map.Entry<String, List<String>> entry : mail.getHeaders().entrySet()) {
            String name = oneLine(entry.getKey()).replace(":", "");
            for (String value : entry.getValue()) {
                header(out, name, oneLine(value));
            }
        }
        String text = mail.getText();
        String html = mail.getHtml();
        if (text != null && html != null) {
            String boundary = "=_gz_" + Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
            header(out, "Content-Type", "multipart/alternative; boundary=\"" + boundary + "\"");
            out.crlf();
            part(out, boundary, "text/plain", text);
            part(out, boundary, "text/html", html);
            out.ascii("--").ascii(boundary).ascii("--").crlf();
        } else {
            boolean isHtml = html != null;
            header(out, "Content-Type", (isHtml ? "text/html" : "text/plain") + "; charset=utf-8");
            header(out, "Content-Transfer-Encoding", "quoted-printable");
            out.crlf();
            // No line break after the body: it would become part of it (SMTP adds one before the final dot).
            quotedPrintable(out, isHtml ? html : text == null ? "" : text);
        }
        return out.toByteArray();
    }

    private static void part(Out out, String boundary, String type, String body) {
        out.ascii("--").ascii(boundary).crlf();
        out.ascii("Content-Type: ").ascii(type).ascii("; charset=utf-8").crlf();
        out.ascii("Content-Transfer-Encoding: quoted-printable").crlf();
        out.crlf();
        quotedPrintable(out, body);
        out.crlf();
    }

    /** RFC 2045 quoted-printable of the UTF-8 text, line breaks (CRLF, LF or CR) written as CRLF. */
    static void quotedPrintable(Out out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int column = 0;
        int n = bytes.length;
        for (int i = 0; i < n; i++) {
            int b = bytes[i] & 0xff;
            if (b == '\r' || b == '\n') {
                if (b == '\r' && i + 1 < n && bytes[i + 1] == '\n') {
                    i++;
                }
                out.crlf();
                column = 0;
                continue;
            }
            boolean lineEnds = i + 1 == n || bytes[i + 1] == '\r' || bytes[i + 1] == '\n';
            boolean literal = b >= 33 && b <= 126 && b != '=' || (b == ' ' || b == '\t') && !lineEnds;
            int width = literal ? 1 : 3;
            // Room for the character, and for a soft break ("=") after it unless the line ends here.
            if (column + width > (lineEnds ? MAX_LINE : MAX_LINE - 1)) {
                out.write('=');
                out.crlf();
                column = 0;
            }
            if (literal) {
                out.write(b);
            } else {
                out.write('=');
                out.write(HEX[b >>> 4]);
                out.write(HEX[b & 0x0f]);
            }
            column += width;
        }
    }

    /** Writes "Name: value", folded at spaces so that lines stay within 78 characters where the value allows. */
    private static void header(Out out, String name, String value) {
        out.ascii(name).ascii(": ");
        int column = name.length() + 2;
        if (column + value.length() <= 78) {
            out.ascii(value).crlf();
            return;
        }
        int start = 0;
        while (start < value.length()) {
            int room = 78 - column;
            if (value.length() - start <= room) {
                out.ascii(value.substring(start));
                break;
            }
            int cut = value.lastIndexOf(' ', start + room);
            if (cut <= start) {
                cut = value.indexOf(' ', start + room);
                if (cut < 0) {
                    out.ascii(value.substring(start));
                    break;
                }
            }
            out.ascii(value.substring(start, cut)).crlf();
            // The space stays, as the fold's leading white space.
            start = cut;
            column = 0;
        }
        out.crlf();
    }

    static List<String> splitList(String value) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                if (!value.substring(start, i).isBlank()) {
                    parts.add(value.substring(start, i));
                }
                start = i + 1;
            }
        }
        if (!value.substring(start).isBlank()) {
            parts.add(value.substring(start));
        }
        return parts;
    }

    private static String addresses(List<String> list) {
        StringBuilder value = new StringBuilder();
        for (String one : list) {
            if (!value.isEmpty()) {
                value.append(", ");
            }
            value.append(address(Address.parse(one)));
        }
        return value.toString();
    }

    private static String address(Address address) {
        String email = oneLine(address.email());
        if (address.name() == null) {
            return email;
        }
        String name = oneLine(address.name());
        if (HeaderFields.isEncodedWords(name)) {
            return name + " <" + email + ">";
        }
        if (HeaderText.isAscii(name)) {
            return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\" <" + email + ">";
        }
        try {
            return MimeUtility.encodeWord(name, "UTF-8", "Q") + " <" + email + ">";
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encodeText(String text) {
        try {
            return MimeUtility.encodeText(text, "UTF-8", "Q");
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** No line breaks inside a header: they would start a header of their own. */
    private static String oneLine(String value) {
        return value.indexOf('\r') < 0 && value.indexOf('\n') < 0 ? value : value.replaceAll("[\\r\\n]+", " ");
    }

    /** A growable byte buffer without the locking of ByteArrayOutputStream. */
    static final class Out {
        private byte[] bytes;
        private int count;

        Out(int capacity) {
            bytes = new byte[capacity];
        }

        void write(int b) {
            if (count == bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            bytes[count++] = (byte) b;
        }

        Out ascii(String s) {
            int length = s.length();
            if (count + length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, count + length));
            }
            for (int i = 0; i < length; i++) {
                char c = s.charAt(i);
                bytes[count++] = (byte) (c < 128 ? c : '?');
            }
            return this;
        }

        Out crlf() {
            write('\r');
            write('\n');
            return this;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, count);
        }
    }
}
