package dev.gazette.fediverse.signature;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * Body digests as the two signature schemes carry them: {@code Digest: SHA-256=<base64>} (RFC 3230, used with
 * draft-cavage) and {@code Content-Digest: sha-256=:<base64>:} (RFC 9530, a structured-field dictionary). A check
 * passes when the field names at least one algorithm known here (SHA-256, SHA-512) and every known one matches.
 */
public final class Digests {

    private static final Map<String, String> ALGORITHMS = Map.of("sha-256", "SHA-256", "sha-512", "SHA-512");

    private Digests() {
    }

    public static String digest(byte[] body) {
        return "SHA-256=" + Base64.getEncoder().encodeToString(hash("SHA-256", body));
    }

    public static String contentDigest(byte[] body) {
        return "sha-256=:" + Base64.getEncoder().encodeToString(hash("SHA-256", body)) + ":";
    }

    /** Whether a {@code Digest} field matches the body. */
    public static boolean digestMatches(String field, byte[] body) {
        if (field == null) {
            return false;
        }
        boolean known = false;
        for (String entry : field.split(",")) {
            int eq = entry.indexOf('=');
            if (eq < 0) {
                return false;
            }
            String algorithm = ALGORITHMS.get(entry.substring(0, eq).strip().toLowerCase(Locale.ROOT));
            if (algorithm == null) {
                continue;
            }
            known = true;
            if (!matches(algorithm, entry.substring(eq + 1).strip(), body)) {
                return false;
            }
        }
        return known;
    }

    /** Whether a {@code Content-Digest} field matches the body. */
    public static boolean contentDigestMatches(String field, byte[] body) {
        if (field == null) {
            return false;
        }
        Map<String, StructuredFields.Member> members;
        try {
            members = StructuredFields.dictionary(field);
        } catch (IllegalArgumentException e) {
            return false;
        }
        boolean known = false;
        for (var member : members.entrySet()) {
            String algorithm = ALGORITHMS.get(member.getKey());
            if (algorithm == null) {
                continue;
            }
            if (!(member.getValue().value() instanceof byte[] expected)) {
                return false;
            }
            known = true;
            if (!MessageDigest.isEqual(expected, hash(algorithm, body))) {
                return false;
            }
        }
        return known;
    }

    private static boolean matches(String algorithm, String base64, byte[] body) {
        try {
            return MessageDigest.isEqual(Base64.getDecoder().decode(base64), hash(algorithm, body));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static byte[] hash(String algorithm, byte[] body) {
        try {
            return MessageDigest.getInstance(algorithm).digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is not available", e);
        }
    }
}
