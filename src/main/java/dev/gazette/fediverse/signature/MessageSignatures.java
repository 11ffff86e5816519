package dev.gazette.fediverse.signature;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP Message Signatures (RFC 9421) with {@code rsa-v1_5-sha256}, as Mastodon verifies them since 4.4:
 * {@code Signature-Input: sig1=("@method" "@target-uri" "content-digest");created=…;keyid="…";alg="rsa-v1_5-sha256"}
 * and {@code Signature: sig1=:…:}. The receiver requires {@code @method}, the target ({@code @target-uri}, or
 * {@code @authority} and {@code @path}) and, with a body, {@code content-digest} matching it (RFC 9530); {@code created}
 * must be within the window and {@code expires}, if given, still ahead.
 */
public final class MessageSignatures {

    public static final String ALGORITHM = "rsa-v1_5-sha256";
    public static final String LABEL = "sig1";
    /** What Gazette signs. */
    public static final List<String> COVERED = List.of("@method", "@target-uri", "content-digest");
    public static final List<String> COVERED_WITHOUT_BODY = List.of("@method", "@target-uri");

    /** The two fields to add to a request. */
    public record Signed(String signatureInput, String signature) {
    }

    /** A signature found in a request: its label, key id and covered components. */
    public record Parsed(String label, String keyId, List<String> components, StructuredFields.Member input, byte[] signature) {

        /** The signature's {@code created} parameter, or null when it has none. */
        public java.time.Instant created() {
            return input.params().get("created") instanceof Long created ? java.time.Instant.ofEpochSecond(created) : null;
        }
    }

    private MessageSignatures() {
    }

    /** Signs a request that already carries every covered header field (see {@link HttpMessage#outgoing}). */
    public static Signed sign(HttpMessage message, List<String> components, String label, String keyId, PrivateKey key,
            Instant created) {
        StringBuilder params = new StringBuilder("(");
        for (String c : components) {
            params.append(params.length() > 1 ? " " : "").append('"').append(c).append('"');
        }
        params.append(");created=").append(created.getEpochSecond()).append(";keyid=").append(quote(keyId))
                .append(";alg=\"").append(ALGORITHM).append('"');
        String base = base(message, components, params.toString());
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(key);
            signer.update(base.getBytes(StandardCharsets.UTF_8));
            return new Signed(label + "=" + params, label + "=:" + Base64.getEncoder().encodeToString(signer.sign()) + ":");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign with this key", e);
        }
    }

    /**
     * The signature base (RFC 9421, section 2.5): one {@code "component": value} line per covered component, then
     * {@code "@signature-params"} with the parameters as they appear in {@code Signature-Input}.
     */
    static String base(HttpMessage message, List<String> components, String signatureParams) {
        StringBuilder base = new StringBuilder();
        for (String component : components) {
            String value = value(message, component);
            if (value == null) {
                throw new IllegalArgumentException("The request has no " + component + " to sign");
            }
            base.append('"').append(component).append("\": ").append(value).append('\n');
        }
        return base.append("\"@signature-params\": ").append(signatureParams).toString();
    }

    private static String value(HttpMessage message, String component) {
        return switch (component) {
            case "@method" -> message.method();
            case "@target-uri" -> message.target().toString();
            case "@authority" -> HttpMessage.authority(message.target());
            case "@scheme" -> message.target().getScheme().toLowerCase(Locale.ROOT);
            case "@request-target" -> message.requestTarget();
            case "@path" -> message.target().getRawPath() == null || message.target().getRawPath().isEmpty() ? "/"
                    : message.target().getRawPath();
            case "@query" -> "?" + (message.target().getRawQuery() == null ? "" : message.target().getRawQuery());
            default -> component.startsWith("@") ? null : message.header(component);
        };
    }

    /** The first signature of the request (or the one with the given label), if its fields are well-formed. */
    public static Optional<Parsed> parse(HttpMessage message, String label) {
        String input = message.header("signature-input");
        String signature = message.header("signature");
        if (input == null || signature == null) {
            return Optional.empty();
        }
        try {
            Map<String, StructuredFields.Member> inputs = StructuredFields.dictionary(input);
            Map<String, StructuredFields.Member> signatures = StructuredFields.dictionary(signature);
            String chosen = label != null ? label : inputs.keySet().stream().findFirst().orElse(null);
            StructuredFields.Member in = chosen == null ? null : inputs.get(chosen);
            StructuredFields.Member sig = chosen == null ? null : signatures.get(chosen);
            if (in == null || sig == null || !(in.value() instanceof List<?> items) || !(sig.value() instanceof byte[] bytes)
                    || !(in.params().get("keyid") instanceof String keyId)) {
                return Optional.empty();
            }
            List<String> components = items.stream().map(i -> ((StructuredFields.Item) i))
                    .map(i -> i.value() instanceof String s && i.params().isEmpty() ? s : null).toList();
            if (components.contains(null)) {
                return Optional.empty(); // parameters on components (;sf, ;req, ;key) are not supported
            }
            return Optional.of(new Parsed(chosen, keyId, components, in, bytes));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Checks a received request against the sender's public key.
     *
     * @param label the signature to check, or null for the first one
     * @param window how far {@code created} may be from {@code now}, either way
     */
    public static Verification verify(HttpMessage message, String label, PublicKey key, Instant now, Duration window) {
        Optional<Parsed> found = parse(message, label);
        if (found.isEmpty()) {
            return new Verification.Refused("no well-formed Signature-Input and Signature");
        }
        Parsed parsed = found.get();
        List<String> covered = parsed.components();
        Object alg = parsed.input().params().get("alg");
        if (alg != null && !ALGORITHM.equals(alg)) {
            return new Verification.Refused("unsupported algorithm " + alg);
        }
        if (!covered.contains("@method")) {
            return new Verification.Refused("the signature does not cover @method");
        }
        if (!covered.contains("@target-uri") && !(covered.contains("@authority") && covered.contains("@path"))) {
            return new Verification.Refused("the signature does not cover @target-uri");
        }
        if ((message.hasBody() || message.method().equals("POST")) && !covered.contains("content-digest")) {
            return new Verification.Refused("the signature does not cover content-digest");
        }
        if (!(parsed.input().params().get("created") instanceof Long created)) {
            return new Verification.Refused("the signature has no created time");
        }
        if (Duration.between(Instant.ofEpochSecond(created), now).abs().compareTo(window) > 0) {
            return new Verification.Refused("the signature's created time is outside the accepted window of " + window);
        }
        if (parsed.input().params().get("expires") instanceof Long expires && Instant.ofEpochSecond(expires).isBefore(now)) {
            return new Verification.Refused("the signature has expired");
        }
        if (covered.contains("content-digest") && !Digests.contentDigestMatches(message.header("content-digest"), message.body())) {
            return new Verification.Refused("the Content-Digest header does not match the body");
        }
        String base;
        try {
            base = base(message, covered, parsed.input().raw());
        } catch (IllegalArgumentException e) {
            return new Verification.Refused("a covered component is missing");
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

    private static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
