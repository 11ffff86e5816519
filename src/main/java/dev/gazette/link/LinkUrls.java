package dev.gazette.link;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.gazette.common.Text;

/**
 * Builds where a tracked link sends readers: the target with the link's UTM parameters merged in, and the link's code
 * as {@code ref} when the target is a page of this site.
 */
public final class LinkUrls {

    /** Carries the code to the landing page, whose subscribe form records it as the subscriber's source. */
    public static final String REF = "ref";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private LinkUrls() {
    }

    /**
     * The {@code Location} of a redirect. The target's query string and fragment are kept as they are; a UTM parameter
     * the target already has is never overridden; added values are percent-encoded as UTF-8. On this site, an existing
     * {@code ref} is replaced: the link the reader came through is the one to credit.
     */
    public static String location(String target, Utm utm, String code, String siteBaseUrl) {
        String ascii = URI.create(target).toASCIIString();
        int hash = ascii.indexOf('#');
        String fragment = hash >= 0 ? ascii.substring(hash) : "";
        String beforeFragment = hash >= 0 ? ascii.substring(0, hash) : ascii;
        int question = beforeFragment.indexOf('?');
        String base = question >= 0 ? beforeFragment.substring(0, question) : beforeFragment;
        String query = question >= 0 ? beforeFragment.substring(question + 1) : "";
        boolean onSite = isOnSite(target, siteBaseUrl);

        List<String> params = new ArrayList<>();
        List<String> existing = new ArrayList<>();
        for (String param : query.split("&")) {
            if (param.isEmpty()) {
                continue;
            }
            String name = decode(param.indexOf('=') >= 0 ? param.substring(0, param.indexOf('=')) : param);
            if (onSite && name.equals(REF)) {
                continue;
            }
            existing.add(name.toLowerCase(Locale.ROOT));
            params.add(param);
        }
        add(params, existing, "utm_source", utm.source());
        add(params, existing, "utm_medium", utm.medium());
        add(params, existing, "utm_campaign", utm.campaign());
        add(params, existing, "utm_content", utm.content());
        add(params, existing, "utm_term", utm.term());
        if (onSite) {
            params.add(REF + "=" + encode(code));
        }
        return params.isEmpty() ? base + fragment : base + "?" + String.join("&", params) + fragment;
    }

    /** Whether a URL points into this site: same scheme, host and port as the base URL, and under its path. */
    public static boolean isOnSite(String url, String siteBaseUrl) {
        try {
            URI target = URI.create(url);
            URI site = URI.create(siteBaseUrl);
            if (target.getHost() == null || site.getHost() == null
                    || !target.getScheme().equalsIgnoreCase(site.getScheme())
                    || !target.getHost().equalsIgnoreCase(site.getHost())
                    || port(target) != port(site)) {
                return false;
            }
            String sitePath = Text.withoutTrailingSlash(site.getRawPath());
            String path = target.getRawPath() == null ? "" : target.getRawPath();
            return sitePath.isEmpty() || path.equals(sitePath) || path.startsWith(sitePath + "/");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static void add(List<String> params, List<String> existing, String name, String value) {
        if (value == null || value.isBlank() || existing.contains(name)) {
            return;
        }
        params.add(name + "=" + encode(value.trim()));
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters, so a space is %20, never +. */
    static String encode(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    /** Lenient percent-decoding of a parameter name, only to compare it. */
    private static String decode(String name) {
        if (name.indexOf('%') < 0 && name.indexOf('+') < 0) {
            return name;
        }
        try {
            return URLDecoder.decode(name, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return name;
        }
    }
}
