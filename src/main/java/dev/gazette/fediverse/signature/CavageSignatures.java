package dev.gazette.fediverse.signature;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP signatures as draft-cavage-http-signatures-12 defines them and Mastodon has used since 2017:
 * {@code Signature: keyId="…",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="…"} over
 * lines of {@code name: value}. The receiver requires {@code (request-target)}, {@code host} and {@code date} to be
 * covered, plus {@code digest} when there is a body, a {@code Date} within the window and a {@code Digest} matching
 * the body.
 */
public final class CavageSignatures {

    /** What Gazette signs: enough for Mastodon, which requires the same. */
    public static final List<String> COVERED = List.of("(request-target)", "host", "date", "digest");
    /** A GET has no body, so no digest. */
    public static final List<String> COVERED_WITHOUT_BODY = List.of("(request-target)", "host", "date");

    private static final Pattern PARAM = Pattern.compile("\\s*([A-Za-z]+)\\s*=\\s*\"([^\"]*)\"\\s*(,|$)");

    /** A parsed {@code Signature} field. */
    public record Parsed(String keyId, String algorithm, List<String> headers, byte[] signature) {
    }

    private CavageSignatures() {
    }

    /** The {@code Signature} field's value for a request that already carries every covered header. */
    public static String sign(HttpMessage message, List<String> covered, String keyId, PrivateKey key) {
        String base = base(message, covered);
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(key);
            signer.update(base.getBytes(StandardCharsets.UTF_8));
            return "keyId=\"" + keyId + "\",algorithm=\"rsa-sha256\",headers=\"" + String.join(" ", covered)
                    + "\",signature=\"" + Base64.getEncoder().encodeToString(signer.sign()) + "\"";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign with this key", e);
        }
    }

    /** The signing string: one {@code name: value} line per covered header, in the order given. */
    static String base(HttpMessage message, List<String> covered) {
        StringBuilder base = new StringBuilder();
        for (String name : covered) {
            String value = switch (name) {
                case "(request-target)" -> message.method().toLowerCase(Locale.ROOT) + " " + message.requestTarget();
                default -> message.header(name);
            };
            if (value == null) {
                throw new IllegalArgumentException("The request has no " + name + " header to sign");
            }
            if (!base.isEmpty()) {
                base.append('\n');
            }
            base.append(name).append(": ").append(value);
        }
        return base.toString();
    }

    /** The {@code Signature} field of a request, if it has a well-formed one. */
    public static Optional<Parsed> parse(HttpMessage message) {
        String field = message.header("signature");
        if (field == null) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(field);
        int at = 0;
        while (at < field.length() && m.find(at) && m.start() == at) {
            params.putIfAbsent(m.group(1), m.group(2));
            at = m.end();
        }
        if (at != field.length() || params.get("keyId") == null || params.get("signature") == null) {
            return Optional.empty();
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(params.get("signature"));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        // headers defaults to "date" (draft-cavage-12, section 2.1.6)
        List<String> headers = Arrays.stream(params.getOrDefault("headers", "date").toLowerCase(Locale.ROOT).split(" +"))
                .filter(h -> !h.isEmpty()).toList();
        return Optional.of(new Parsed(params.get("keyId"), params.getOrDefault("algorithm", "hs2019"), headers, signature));
    }

    /**
     * Checks a received request against the sender's public key.
     *
     * @param window how far the request's {@code Date} may be from {@code now}, either way
     */
    public static Verification verify(HttpMessage message, PublicKey key, Instant now, Duration window) {
        Optional<Parsed> found = parse(message);
        if (found.isEmpty()) {
            return new Verification.Refused("no well-formed Signature header");
        }
        Parsed parsed = found.get();
        if (!parsed.algorithm().equals("rsa-sha256") && !parsed.algorithm().equals("hs2019")) {
            return new Verification.Refused("unsupported algorithm " + parsed.algorithm());
        }
        List<String> required = message.hasBody() || message.method().equals("POST") ? COVERED : COVERED_WITHOUT_BODY;
        for (String name : required) {
            if (!parsed.headers().contains(name)) {
                return new Verification.Refused("the signature does not cover " + name);
            }
        }
        String date = message.header("date");
        Instant sent;
        try {
            sent = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException | NullPointerException e) {
            return new Verification.Refused("the Date header is not an HTTP date");
        }
        if (Duration.between(sent, now).abs().compareTo(window) > 0) {
            return new Verification.Refused("the Date header is outside the accepted window of " + window);
        }
        if (parsed.headers().contains("digest") && !Digests.digestMatches(message.header("digest"), message.body())) {
            return new Verification.Refused("the Digest header does not match the body");
        }
        String base;
        try {
            base = base(message, parsed.headers());
        } catch (IllegalArgumentException e) {
            return new Verification.Refused("a covered header is missing");
        }
        try {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(key);
            verifier.update(base.getBytes(StandardCharsets.UTF_8));
            return verifier.verify(parsed.signature()) ? new Verification.Verified(parsed.keyId())
                    : new Verification.Refused("the signature does not match");
        } catch (GeneralSecurityException e) {
            return new Verification.Refused("the signature does not match");
        }
    }
}
