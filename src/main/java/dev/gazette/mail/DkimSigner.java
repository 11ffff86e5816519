package dev.gazette.mail;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Signs a message as it is written to the SMTP socket (RFC 6376, {@code rsa-sha256}): relaxed/relaxed
 * canonicalisation, the body hashed once from the bytes that are sent, over the headers of {@link #SIGNED_HEADERS}
 * that the message has. The message is the encoder's bytes: header lines, an empty line, the
 * body, each line ending in CRLF (the body's last line may lack it: SMTP adds one before the final dot).
 */
public final class DkimSigner {

    /** The headers signed when the message has them, the list headers included so that no relay can swap them. */
    public static final List<String> SIGNED_HEADERS = List.of("From", "Reply-To", "Subject", "Date", "To", "Message-ID",
            "Content-Type", "List-Unsubscribe", "List-Unsubscribe-Post", "List-Id", "Feedback-ID");

    private static final byte[] CRLF = { '\r', '\n' };
    private static final Pattern LINE_BREAK = Pattern.compile("\r\n");
    private static final Pattern WHITE_SPACE = Pattern.compile("[ \t]+");

    private final String domain;
    private final String selector;
    private final DkimKey key;

    /**
     * @param domain   the signing domain ({@code d=}), the From domain or a parent of it for DMARC alignment
     * @param selector the selector ({@code s=}): the key's public half is published at {@code <selector>._domainkey.<domain>}
     * @param key      the private key
     */
    public DkimSigner(String domain, String selector, DkimKey key) {
        if (!key.algorithm().equals("rsa-sha256")) {
            // ed25519-sha256 (RFC 8463) waits for a verifier other than our own to test it against
            throw new IllegalArgumentException("DKIM signing takes an RSA key; " + key.algorithm() + " is not supported yet");
        }
        this.domain = domain.toLowerCase(Locale.ROOT);
        this.selector = selector;
        this.key = key;
    }

    /** The signing domain ({@code d=}). */
    public String domain() {
        return domain;
    }

    /** {@code d=} and {@code s=} in words, for the log. */
    public String describe() {
        return key.algorithm() + " d=" + domain + " s=" + selector;
    }

    /** The message with a DKIM-Signature header in front. */
    public byte[] sign(byte[] message, Instant now) {
        byte[] header = signatureHeader(message, now).getBytes(StandardCharsets.US_ASCII);
        byte[] signed = new byte[header.length + message.length];
        System.arraycopy(header, 0, signed, 0, header.length);
        System.arraycopy(message, 0, signed, header.length, message.length);
        return signed;
    }

    /** The {@code DKIM-Signature: ...} header line (folded, ending in CRLF) for the message. */
    public String signatureHeader(byte[] message, Instant now) {
        int bodyStart = bodyStart(message);
        List<String> fields = headerFields(message, bodyStart < 0 ? message.length : bodyStart);
        StringBuilder signedData = new StringBuilder();
        StringBuilder names = new StringBuilder();
        for (String name : SIGNED_HEADERS) {
            // one instance per name, the last one (RFC 6376 5.4.2: headers are taken from the bottom up)
            for (int i = fields.size() - 1; i >= 0; i--) {
                String field = fields.get(i);
                int colon = field.indexOf(':');
                if (colon > 0 && field.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    signedData.append(relaxedHeader(field)).append("\r\n");
                    names.append(names.length() == 0 ? "" : ":").append(name.toLowerCase(Locale.ROOT));
                    break;
                }
            }
        }
        String bodyHash = Base64.getEncoder().encodeToString(bodyHash(message, bodyStart < 0 ? message.length : bodyStart));
        String unsigned = "DKIM-Signature: v=1; a=" + key.algorithm() + "; c=relaxed/relaxed; d=" + domain + "; s=" + selector
                + ";\r\n\tt=" + now.getEpochSecond() + "; h=" + names + ";\r\n\tbh=" + bodyHash + ";\r\n\tb=";
        signedData.append(relaxedHeader(unsigned));
        String b = Base64.getEncoder().encodeToString(signature(signedData.toString().getBytes(StandardCharsets.UTF_8)));
        StringBuilder header = new StringBuilder(unsigned);
        for (int i = 0; i < b.length(); i += 72) {
            header.append(i == 0 ? "" : "\r\n\t").append(b, i, Math.min(b.length(), i + 72));
        }
        return header.append("\r\n").toString();
    }

    private byte[] signature(byte[] data) {
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key.key());
            rsa.update(data);
            return rsa.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("DKIM signing failed: " + e.getMessage(), e);
        }
    }

    /** Where the body starts (after the first empty line), or -1 when the message has no body. */
    static int bodyStart(byte[] message) {
        for (int i = 0; i + 3 < message.length; i++) {
            if (message[i] == '\r' && message[i + 1] == '\n' && message[i + 2] == '\r' && message[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    /** The header fields, each with its continuation lines, without the final CRLF. */
    static List<String> headerFields(byte[] message, int end) {
        String block = new String(message, 0, end, StandardCharsets.UTF_8);
        List<String> fields = new ArrayList<>();
        for (String line : LINE_BREAK.split(block)) {
            if (line.isEmpty()) {
                continue;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && !fields.isEmpty()) {
                fields.set(fields.size() - 1, fields.get(fields.size() - 1) + "\r\n" + line);
            } else {
                fields.add(line);
            }
        }
        return fields;
    }

    /** RFC 6376 3.4.2: lower-case name, unfolded, runs of white space as one space, none around the colon or at the end. */
    static String relaxedHeader(String field) {
        int colon = field.indexOf(':');
        String name = field.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = WHITE_SPACE.matcher(field.substring(colon + 1).replace("\r\n", "")).replaceAll(" ").strip();
        return name + ":" + value;
    }

    /** RFC 6376 3.4.4, hashed as it goes: runs of white space as one space, none at line ends, no empty lines at the end. */
    static byte[] bodyHash(byte[] message, int start) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        int emptyLines = 0;
        int i = start;
        byte[] line = new byte[1024];
        while (i < message.length) {
            int end = i;
            while (end < message.length && !(message[end] == '\r' && end + 1 < message.length && message[end + 1] == '\n')) {
                end++;
            }
            if (line.length < end - i) {
                line = new byte[end - i];
            }
            int n = 0;
            boolean space = false;
            for (int j = i; j < end; j++) {
                byte c = message[j];
                if (c == ' ' || c == '\t') {
                    space = true;
                } else {
                    if (space) {
                        line[n++] = ' ';
                        space = false;
                    }
                    line[n++] = c;
                }
            }
            if (n == 0) {
                emptyLines++;
            } else {
                for (; emptyLines > 0; emptyLines--) {
                    sha256.update(CRLF);
                }
                sha256.update(line, 0, n);
                sha256.update(CRLF);
            }
            i = end + 2;
        }
        return sha256.digest();
    }
}
