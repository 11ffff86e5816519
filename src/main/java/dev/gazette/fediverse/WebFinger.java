package dev.gazette.fediverse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gazette.common.error.ProblemException;

/**
 * WebFinger (RFC 7033) for the publication's account: {@code acct:news@host} (the site's host, or the same with or
 * without {@code www.}) or the actor's own URL leads to the actor and the profile page.
 */
@ApplicationScoped
public class WebFinger {

    public static final String MEDIA_TYPE = "application/jrd+json";
    static final String PROFILE_PAGE = "http://webfinger.net/rel/profile-page";

    private final Federation federation;

    WebFinger(Federation federation) {
        this.federation = federation;
    }

    /**
     * The JRD for a resource, or empty when it names another account.
     *
     * @throws ProblemException 400 naming {@code resource} when it is missing or not an acct: URI or URL
     */
    public Optional<Map<String, Object>> lookup(String resource) {
        federation.requireEnabled();
        if (resource == null || resource.isBlank()) {
            throw ProblemException.invalid("resource", "is required, e.g. acct:" + federation.account() + "@"
                    + federation.authority());
        }
        String value = resource.strip();
        if (value.regionMatches(true, 0, "acct:", 0, 5)) {
            String account = value.substring(5);
            int at = account.lastIndexOf('@');
            if (at <= 0 || at == account.length() - 1 || account.indexOf('@') != at || account.contains("/")) {
                throw ProblemException.invalid("resource", "must be acct:<name>@<host>");
            }
            boolean ours = account.substring(0, at).equalsIgnoreCase(federation.account())
                    && sameHost(account.substring(at + 1));
            return ours ? Optional.of(document()) : Optional.empty();
        }
        if (value.startsWith("https://") || value.startsWith("http://")) {
            return value.equals(federation.actorId()) ? Optional.of(document()) : Optional.empty();
        }
        throw ProblemException.invalid("resource", "must be acct:<name>@<host> or the actor's URL");
    }

    private boolean sameHost(String host) {
        String asked = strip(host.toLowerCase(Locale.ROOT));
        return asked.equals(strip(federation.authority()));
    }

    private static String strip(String host) {
        return host.startsWith("www.") ? host.substring(4) : host;
    }

    private Map<String, Object> document() {
        Map<String, Object> jrd = new LinkedHashMap<>();
        jrd.put("subject", federation.handle());
        jrd.put("aliases", List.of(federation.actorId(), federation.profileUrl()));
        jrd.put("links", List.of(
                Map.of("rel", "self", "type", ActivityStreams.MEDIA_TYPE, "href", federation.actorId()),
                Map.of("rel", PROFILE_PAGE, "type", "text/html", "href", federation.profileUrl())));
        return jrd;
    }
}
