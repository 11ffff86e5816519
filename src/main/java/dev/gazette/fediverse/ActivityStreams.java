package dev.gazette.fediverse;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ActivityStreams constants and the {@code Accept} rule: a request wants JSON when it names
 * {@code application/activity+json} or {@code application/ld+json} (with the ActivityStreams profile, or none) at
 * least as strongly as HTML. Mastodon sends both JSON types, and {@code text/html;q=0.1} when resolving a URL.
 */
public final class ActivityStreams {

    public static final String MEDIA_TYPE = "application/activity+json";
    public static final String PUBLIC = "https://www.w3.org/ns/activitystreams#Public";
    public static final String NAMESPACE = "https://www.w3.org/ns/activitystreams";
    public static final String SECURITY = "https://w3id.org/security/v1";
    /** Mastodon's extension terms the actor uses. */
    public static final Map<String, Object> MASTODON_TERMS = Map.of(
            "manuallyApprovesFollowers", "as:manuallyApprovesFollowers",
            "toot", "http://joinmastodon.org/ns#",
            "discoverable", "toot:discoverable",
            "indexable", "toot:indexable");
    public static final List<Object> CONTEXT = List.of(NAMESPACE);
    public static final List<Object> ACTOR_CONTEXT = List.of(NAMESPACE, SECURITY, MASTODON_TERMS);
    public static final List<Object> OBJECT_CONTEXT = List.of(NAMESPACE, Map.of("Hashtag", "as:Hashtag"));

    private ActivityStreams() {
    }

    /** Whether the {@code Accept} header prefers ActivityStreams JSON to HTML. */
    public static boolean wanted(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        double activity = 0;
        double html = 0;
        for (String range : splitOutsideQuotes(accept)) {
            String[] parts = splitParams(range);
            String type = parts[0].strip().toLowerCase(Locale.ROOT);
            double q = 1;
            String profile = null;
            for (int i = 1; i < parts.length; i++) {
                int eq = parts[i].indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String name = parts[i].substring(0, eq).strip().toLowerCase(Locale.ROOT);
                String value = parts[i].substring(eq + 1).strip().replace("\"", "");
                if (name.equals("q")) {
                    try {
                        q = Double.parseDouble(value);
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                } else if (name.equals("profile")) {
                    profile = value;
                }
            }
            if (type.equals(MEDIA_TYPE)
                    || (type.equals("application/ld+json") && (profile == null || profile.contains(NAMESPACE)))) {
                activity = Math.max(activity, q);
            } else if (type.equals("text/html") || type.equals("application/xhtml+xml")) {
                html = Math.max(html, q);
            }
        }
        return activity > 0 && activity >= html;
    }

    private static List<String> splitOutsideQuotes(String header) {
        return splitOutsideQuotes(header, ',');
    }

    /** Splits at each {@code separator} outside double quotes, in one pass (a regex lookahead would be quadratic). */
    private static List<String> splitOutsideQuotes(String header, char separator) {
        List<String> parts = new java.util.ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == separator && !quoted) {
                parts.add(header.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(header.substring(start));
        return parts;
    }

    private static String[] splitParams(String range) {
        return splitOutsideQuotes(range, ';').toArray(String[]::new);
    }

    /** A time as ActivityStreams servers expect it: UTC, to the second. */
    public static String time(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
