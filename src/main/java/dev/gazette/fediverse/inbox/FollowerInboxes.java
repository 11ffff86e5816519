package dev.gazette.fediverse.inbox;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import dev.gazette.fediverse.DomainBlocks;

/**
 * A follower's inbox or shared inbox, as its actor document gives it, checked before it is stored: deliveries go there
 * for as long as it follows, and are grouped by its host. An http(s) URL of at most 2000 characters, without user
 * information ({@code https://user@host/} would make the host something else to whoever reads it next), whose host
 * has at most 253 characters. Stored normalised: scheme and host in lower case, an internationalised name as punycode,
 * an IPv6 address in canonical form, the default port and any fragment dropped, so one server's inboxes share one host.
 */
final class FollowerInboxes {

    static final int MAX_URL = 2000;
    static final int MAX_HOST = 253;

    private FollowerInboxes() {
    }

    /** The inbox URL as stored, or null when it is not one a follower may have. */
    static String normalise(String url) {
        if (url == null || url.isBlank() || url.length() > MAX_URL) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getRawUserInfo() != null || uri.getHost() == null
                || uri.getRawAuthority() != null && uri.getRawAuthority().contains("@")) {
            return null;
        }
        String host = host(uri.getHost());
        if (host == null) {
            return null;
        }
        int port = uri.getPort();
        if (port == 443 && scheme.equals("https") || port == 80 && scheme.equals("http")) {
            port = -1;
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String normalised = scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + (port == -1 ? "" : ":" + port)
                + path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return normalised.length() > MAX_URL ? null : normalised;
    }

    /**
     * A URL's host as followers' hosts are stored and blocks compared: lower case, punycode, without a trailing dot, an
     * IPv6 address canonical and without brackets; null when longer than 253 characters or not a host name.
     */
    static String host(String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        String ip = DomainBlocks.ipv6(raw);
        if (ip != null) {
            return ip;
        }
        if (raw.startsWith("[")) {
            return null;
        }
        String host;
        try {
            host = IDN.toASCII(raw, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
        // spam.example. is spam.example: a trailing dot must not take a follower out of its domain's block
        while (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host.isEmpty() || host.length() > MAX_HOST ? null : host;
    }

    /** The host of a URL already normalised (or of an actor id), as {@link #host(String)}; null if it has none. */
    static String hostOf(String url) {
        try {
            return url == null ? null : host(new URI(url).getHost());
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
