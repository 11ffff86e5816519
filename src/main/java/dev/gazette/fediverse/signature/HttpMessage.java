package dev.gazette.fediverse.signature;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP request as it is signed or as it was received: method, absolute target URI, header fields (names compared
 * without case) and body. Immutable; {@link #withHeader} returns a copy.
 */
public final class HttpMessage {

    /** The HTTP date format of {@code Date} (IMF-fixdate: a two-digit day, unlike Java's RFC 1123 formatter). */
    public static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'",
            Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final String method;
    private final URI target;
    private final Map<String, List<String>> headers;
    private final byte[] body;

    public HttpMessage(String method, URI target, Map<String, List<String>> headers, byte[] body) {
        if (!target.isAbsolute() || target.getRawAuthority() == null) {
            throw new IllegalArgumentException("The target URI must be absolute: " + target);
        }
        this.method = method.toUpperCase(Locale.ROOT);
        this.target = target;
        Map<String, List<String>> lower = new LinkedHashMap<>();
        headers.forEach((name, values) -> lower.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>())
                .addAll(values));
        lower.replaceAll((name, values) -> List.copyOf(values));
        this.headers = Collections.unmodifiableMap(lower);
        this.body = body == null ? new byte[0] : body.clone();
    }

    /**
     * A request ready to be signed: {@code Host} and {@code Date} set, and for a body both {@code Digest} (draft-cavage)
     * and {@code Content-Digest} (RFC 9530), so that either scheme can cover it.
     */
    public static HttpMessage outgoing(String method, URI target, byte[] body, Instant now) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("host", List.of(authority(target)));
        headers.put("date", List.of(HTTP_DATE.format(now)));
        if (body != null && body.length > 0) {
            headers.put("digest", List.of(Digests.digest(body)));
            headers.put("content-digest", List.of(Digests.contentDigest(body)));
        }
        return new HttpMessage(method, target, headers, body);
    }

    public HttpMessage withHeader(String name, String value) {
        Map<String, List<String>> copy = new LinkedHashMap<>(headers);
        copy.put(name.toLowerCase(Locale.ROOT), List.of(value));
        return new HttpMessage(method, target, copy, body);
    }

    public String method() {
        return method;
    }

    public URI target() {
        return target;
    }

    public byte[] body() {
        return body.clone();
    }

    public boolean hasBody() {
        return body.length > 0;
    }

    /** Every field, names in lower case. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** A field's values joined by ", " as HTTP combines repeated fields, each trimmed; null when absent. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        if (values == null || values.isEmpty()) {
            return null;
        }
        return String.join(", ", values.stream().map(String::strip).toList());
    }

    /** The target's host, in lower case, with its port unless it is the scheme's default. */
    public static String authority(URI target) {
        String host = target.getHost().toLowerCase(Locale.ROOT);
        int port = target.getPort();
        boolean defaultPort = port == -1 || ("https".equalsIgnoreCase(target.getScheme()) && port == 443)
                || ("http".equalsIgnoreCase(target.getScheme()) && port == 80);
        return defaultPort ? host : host + ":" + port;
    }

    /** Path and query as in the request line: {@code /inbox?x=1}. */
    public String requestTarget() {
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        return target.getRawQuery() == null ? path : path + "?" + target.getRawQuery();
    }
}
