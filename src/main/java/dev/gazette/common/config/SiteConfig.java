package dev.gazette.common.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The publication as readers see it.
 */
@ConfigMapping(prefix = "gazette.site")
public interface SiteConfig {

    /** Public base URL used in every link that leaves the server (emails, feeds, social posts), without trailing slash. */
    @WithDefault("http://localhost:8080")
    String baseUrl();

    /** Name of the publication, shown in pages and emails. */
    @WithDefault("Gazette")
    String name();
}
