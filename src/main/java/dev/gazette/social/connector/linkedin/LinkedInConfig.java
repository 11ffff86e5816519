package dev.gazette.social.connector.linkedin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * LinkedIn (versioned REST API): network-wide settings shared by every LinkedIn channel.
 */
@ConfigMapping(prefix = "gazette.social.linkedin")
public interface LinkedInConfig {

    /** Base URL of the LinkedIn API, without a trailing slash; overridden in tests to point at a stub server. */
    @WithDefault("https://api.linkedin.com")
    String apiUrl();

    /**
     * The {@code LinkedIn-Version} header, {@code yyyyMM}. LinkedIn serves each monthly version for at least a year
     * (https://learn.microsoft.com/en-us/linkedin/marketing/versioning) and answers 426 once it is sunset: raise this
     * value at least once a year.
     */
    @WithDefault("202605")
    String version();
}
