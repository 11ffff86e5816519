package dev.gazette.common.config;

import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The publication as readers see it.
 */
@ConfigMapping(prefix = "gazette.site")
public interface SiteConfig {

    /**
     * Public base URL used in every link that leaves the server (emails, feeds, social posts), without trailing slash.
     * Unset, links point at this machine on the port Gazette listens on, so a zero-setup run on another port works.
     */
    @WithDefault("http://localhost:${quarkus.http.port:8080}")
    String baseUrl();

    /** Name of the publication, shown in pages, feeds and emails. */
    @WithDefault("Gazette")
    String name();

    /** One sentence about the publication, for the front page, feeds and link previews. */
    @WithDefault("News and stories, delivered the way you like.")
    String description();

    /** Language of the site's own pages and feeds (BCP 47). */
    @WithDefault("en")
    String language();

    /** The publication's social profiles for "follow us" links, by network name, e.g. {@code gazette.site.social-links.mastodon=https://...}. */
    Map<String, String> socialLinks();

    /** The publication's X handle (without @), for {@code twitter:site}. */
    Optional<String> xHandle();

    /**
     * The publisher's postal address, printed in the footer of site-wide mail (the welcome mail; each newsletter has its
     * own for digests). The US CAN-SPAM Act requires one in commercial mail.
     */
    Optional<String> postalAddress();

    /**
     * Time zone in which pages show dates and times to readers and editors (an IANA name such as {@code Europe/Paris},
     * or an offset). UTC by default rather than the server's zone, so the same configuration shows the same times on
     * every machine; an unknown name stops start-up naming this setting.
     */
    @WithDefault("UTC")
    ZoneId timeZone();
}
