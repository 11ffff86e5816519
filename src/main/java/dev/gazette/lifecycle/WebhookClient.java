package dev.gazette.lifecycle;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import dev.gazette.common.config.SiteConfig;
import dev.gazette.social.spi.SocialHttp;

/**
 * The HTTP client of event webhooks: the guarded client social connectors use (checked and pinned addresses, no
 * redirects, a request that never left told from one whose answer was lost), with the timeouts and the private
 * address rule of {@code gazette.webhooks.*}.
 */
@Singleton
public class WebhookClient {

    private final SocialHttp http;

    WebhookClient(WebhooksConfig config, SiteConfig site, Clock clock) {
        this.http = new SocialHttp(config.connectTimeout(), config.requestTimeout(), config.allowPrivateAddresses(),
                "Gazette webhooks (+" + site.baseUrl() + ")", clock);
    }

    public SocialHttp http() {
        return http;
    }

    /** Why a URL cannot be an endpoint (not http(s), a fragment, a refused address), or null when it can. */
    public String problem(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            return "is not a valid URL";
        }
        String scheme = uri.getScheme();
        if (!("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme)) || uri.getHost() == null) {
            return "must be an http or https URL with a host";
        }
        if (uri.getFragment() != null || uri.getUserInfo() != null) {
            return "must have neither a #fragment nor user:password@";
        }
        try {
            http.checkAddress(uri);
        } catch (SocialHttp.NotSent e) {
            // the shared client names social's setting; endpoints have their own
            return e.getMessage().replace("gazette.social.allow-private-addresses", "gazette.webhooks.allow-private-addresses")
                    .replace("Gazette posts only", "Gazette sends events only");
        }
        return null;
    }

    @PreDestroy
    void close() throws IOException {
        http.close();
    }
}
