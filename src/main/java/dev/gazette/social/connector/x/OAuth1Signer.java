package dev.gazette.social.connector.x;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs requests with OAuth 1.0a, HMAC-SHA1, as RFC 5849 section 3 describes and X's "Creating a signature" guide
 * (https://docs.x.com/fundamentals/authentication/oauth-1-0a/creating-a-signature) walks through.
 * <p>
 * The parameters signed are the {@code oauth_*} protocol parameters, the query parameters of the URL and, only for an
 * {@code application/x-www-form-urlencoded} body, the form parameters (RFC 5849 section 3.4.1.3.1). A JSON body, as
 * sent to {@code POST /2/tweets}, is not part of the signature base string.
 */
public final class OAuth1Signer {

    /** The four credentials of OAuth 1.0a user context: the app's consumer key pair and the user's access token pair. */
    public record Credentials(String consumerKey, String consumerSecret, String token, String tokenSecret) {

        @Override
        public String toString() {
            return "Credentials[consumerKey=" + consumerKey + ", token=" + token + "]";
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final Credentials credentials;
    private final Supplier<String> nonces;
    private final LongSupplier epochSeconds;

    /**
     * @param nonces gives a new {@code oauth_nonce} per request (fixed in tests)
     * @param epochSeconds gives {@code oauth_timestamp}
     */
    public OAuth1Signer(Credentials credentials, Supplier<String> nonces, LongSupplier epochSeconds) {
        this.credentials = credentials;
        this.nonces = nonces;
        this.epochSeconds = epochSeconds;
    }

    /** A nonce of 32 random bytes, base64url-encoded without padding: 43 unreserved characters. */
    public static String randomNonce() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * The value of the {@code Authorization} header for one request.
     *
     * @param formParameters the decoded parameters of a form-encoded body; empty for JSON or no body
     */
    public String authorizationHeader(String method, URI uri, List<Map.Entry<String, String>> formParameters) {
        List<Map.Entry<String, String>> oauth = List.of(
                Map.entry("oauth_consumer_key", credentials.consumerKey()),
                Map.entry("oauth_nonce", nonces.get()),
                Map.entry("oauth_signature_method", "HMAC-SHA1"),
                Map.entry("oauth_timestamp", Long.toString(epochSeconds.getAsLong())),
                Map.entry("oauth_token", credentials.token()),
                Map.entry("oauth_version", "1.0"));
        List<Map.Entry<String, String>> signed = new ArrayList<>(oauth);
        signed.addAll(queryParameters(uri));
        signed.addAll(formParameters);
        String signature = signature(baseString(method, uri, signed), credentials.consumerSecret(),
                credentials.tokenSecret());

        List<Map.Entry<String, String>> header = new ArrayList<>(oauth);
        header.add(Map.entry("oauth_signature", signature));
        header.sort(Map.Entry.comparingByKey());
        StringBuilder out = new StringBuilder("OAuth ");
        for (int i = 0; i < header.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(percentEncode(header.get(i).getKey())).append("=\"")
                    .append(percentEncode(header.get(i).getValue())).append('"');
        }
        return out.toString();
    }

    /**
     * The signature base string (RFC 5849 section 3.4.1): the upper-case method, the base string URI and the
     * normalized parameters, each percent-encoded and joined by {@code &}.
     *
     * @param parameters every signed parameter, decoded: {@code oauth_*}, query and form parameters
     */
    static String baseString(String method, URI uri, List<Map.Entry<String, String>> parameters) {
        return method.toUpperCase(Locale.ROOT) + '&' + percentEncode(baseStringUri(uri)) + '&'
                + percentEncode(normalizedParameters(parameters));
    }

    /**
     * Scheme and host in lower case, the port only when it is not the scheme's default, the path as sent; no query
     * or fragment (RFC 5849 section 3.4.1.2).
     */
    static String baseStringUri(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return scheme + "://" + host + (defaultPort ? "" : ":" + port) + path;
    }

    /**
     * Each name and value percent-encoded, sorted by encoded name then encoded value, joined as
     * {@code name=value&...} (RFC 5849 section 3.4.1.3.2).
     */
    static String normalizedParameters(List<Map.Entry<String, String>> parameters) {
        List<String[]> encoded = new ArrayList<>();
        for (Map.Entry<String, String> p : parameters) {
            encoded.add(new String[] { percentEncode(p.getKey()), percentEncode(p.getValue()) });
        }
        encoded.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
        StringBuilder out = new StringBuilder();
        for (String[] p : encoded) {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(p[0]).append('=').append(p[1]);
        }
        return out.toString();
    }

    /** HMAC-SHA1 of the base string, keyed with the two encoded secrets joined by {@code &}, in base64. */
    static String signature(String baseString, String consumerSecret, String tokenSecret) {
        String key = percentEncode(consumerSecret) + '&' + percentEncode(tokenSecret == null ? "" : tokenSecret);
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(baseString.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available", e);
        }
    }

    /**
     * RFC 3986 percent-encoding of the UTF-8 bytes: everything but the unreserved {@code A-Z a-z 0-9 - . _ ~} becomes
     * {@code %XX} with upper-case hex digits (RFC 5849 section 3.6). Spaces are {@code %20}, never {@code +}.
     */
    static String percentEncode(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length * 3);
        for (byte b : bytes) {
            int c = b & 0xFF;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }

    /** The query of the URL as decoded name/value pairs, parsed as form encoding (RFC 5849 section 3.4.1.3.1). */
    static List<Map.Entry<String, String>> queryParameters(URI uri) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        String query = uri.getRawQuery();
        if (query == null || query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            out.add(Map.entry(URLDecoder.decode(name, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8)));
        }
        return out;
    }
}
