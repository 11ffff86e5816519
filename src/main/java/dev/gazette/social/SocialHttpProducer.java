package dev.gazette.social;

import java.io.IOException;
import java.time.Clock;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.gazette.common.config.SiteConfig;
import dev.gazette.social.spi.SocialHttp;

/**
 * The one HTTP client all connectors share, configured from {@code gazette.social.*}.
 */
public class SocialHttpProducer {

    @Produces
    @Singleton
    SocialHttp socialHttp(SocialConfig config, SiteConfig site, Clock clock) {
        return new SocialHttp(config.connectTimeout(), config.requestTimeout(), config.allowPrivateAddresses(),
                "Gazette (+" + site.baseUrl() + ")", clock);
    }

    void close(@Disposes SocialHttp http) throws IOException {
        http.close();
    }
}
