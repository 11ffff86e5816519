package dev.gazette.fediverse;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;
import jakarta.ws.rs.NotFoundException;

import dev.gazette.common.config.SiteConfig;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Whether federation is on, and the publication's ActivityPub addresses. Checked at start-up: with federation on,
 * {@code gazette.site.base-url} must be an explicit https URL, because the actor's id is built from it and other
 * servers keep that id for good (the default, this machine over http, can never be one).
 * <p>
 * The actor lives at {@code /ap/actor} rather than {@code /@<account>}: the id then survives a change of the account
 * name, and {@code /ap/} keeps every ActivityPub address under one prefix that no public page uses.
 */
@Startup
@Singleton
public class Federation {

    static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9_]{1,30}");

    private final boolean enabled;
    private final String account;
    private final String baseUrl;
    private final String authority;
    private final FediverseConfig config;

    Federation(FediverseConfig config, SiteConfig site) {
        this.config = config;
        this.enabled = config.enabled();
        this.account = config.account();
        this.baseUrl = site.baseUrl();
        String problem = enabled ? problem(config, site.baseUrl()) : null;
        if (problem != null) {
            throw new ConfigurationException(problem);
        }
        this.authority = enabled ? URI.create(baseUrl).getRawAuthority().toLowerCase(Locale.ROOT) : null;
    }

    /** Why federation cannot start with this configuration, or null when it can. */
    static String problem(FediverseConfig config, String baseUrl) {
        URI uri;
        try {
            uri = new URI(baseUrl);
        } catch (Exception e) {
            uri = null;
        }
        if (uri == null || !"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getHost().isBlank()
                || uri.getRawQuery() != null || uri.getRawFragment() != null || baseUrl.endsWith("/")) {
            return "gazette.fediverse.enabled is true, but gazette.site.base-url (GAZETTE_SITE_BASE_URL) is " + baseUrl
                    + ": federation needs the site's public https address set explicitly, without a trailing slash"
                    + " (e.g. https://news.example.org), because the publication's ActivityPub id is built from it and"
                    + " other servers keep that id for good.";
        }
        if (!ACCOUNT.matcher(config.account()).matches()) {
            return "gazette.fediverse.account (GAZETTE_FEDIVERSE_ACCOUNT) is '" + config.account()
                    + "': use 1 to 30 letters, digits or underscores, e.g. news.";
        }
        for (var image : new String[][] { { "icon-url", config.iconUrl().orElse(null) },
                { "header-url", config.headerUrl().orElse(null) } }) {
            if (image[1] != null && !image[1].startsWith("https://") && !image[1].startsWith("http://")) {
                return "gazette.fediverse." + image[0] + " is '" + image[1] + "': give an absolute http(s) URL.";
            }
        }
        if (config.outboxPageSize() < 1 || config.outboxPageSize() > 100) {
            return "gazette.fediverse.outbox-page-size must be between 1 and 100, not " + config.outboxPageSize() + ".";
        }
        return null;
    }

    public boolean enabled() {
        return enabled;
    }

    /** Answers 404, as for any unknown address, when federation is off. */
    public void requireEnabled() {
        if (!enabled) {
            throw new NotFoundException();
        }
    }

    public String account() {
        return account;
    }

    /** The host (and port, if any) of the site, as in {@code acct:news@<authority>}. */
    public String authority() {
        return authority;
    }

    public String handle() {
        return "acct:" + account + "@" + authority;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The profile page people reach from a fediverse client: the site's front page. */
    public String profileUrl() {
        return baseUrl + "/";
    }

    public String actorId() {
        return baseUrl + "/ap/actor";
    }

    /** The id of one of the actor's keys: the actor's id and the key's name as fragment ({@code #main-key}). */
    public String keyId(String keyName) {
        return actorId() + "#" + keyName;
    }

    public String inbox() {
        return actorId() + "/inbox";
    }

    public String outbox() {
        return actorId() + "/outbox";
    }

    public String followers() {
        return actorId() + "/followers";
    }

    public String following() {
        return actorId() + "/following";
    }

    public String sharedInbox() {
        return baseUrl + "/ap/inbox";
    }

    public String articleUrl(String slug) {
        return baseUrl + "/articles/" + slug;
    }

    /**
     * The slug of an article's object id, which is its address, or that address with a generation's fragment
     * ({@code #g2}) once the article was published again; null for anything else.
     */
    public String articleSlug(String objectId) {
        String prefix = articleUrl("");
        if (objectId == null || !objectId.startsWith(prefix)) {
            return null;
        }
        String rest = objectId.substring(prefix.length());
        int fragment = rest.indexOf('#');
        if (fragment >= 0) {
            if (!rest.substring(fragment + 1).matches("g[0-9]{1,9}")) {
                return null;
            }
            rest = rest.substring(0, fragment);
        }
        return rest.isEmpty() || rest.indexOf('/') >= 0 || rest.indexOf('?') >= 0 ? null : rest;
    }

    public String topicUrl(String slug) {
        return baseUrl + "/topics/" + slug;
    }

    public Optional<String> iconUrl() {
        return config.iconUrl();
    }

    public Optional<String> headerUrl() {
        return config.headerUrl();
    }

    public int outboxPageSize() {
        return config.outboxPageSize();
    }
}
