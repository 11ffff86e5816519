package dev.gazette.common.web;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.gazette.common.config.SiteConfig;
import io.quarkus.logging.Log;
import io.quarkus.vertx.http.HttpServerStart;

/**
 * Warns at start-up when {@code gazette.site.base-url} names this machine on a port Gazette does not listen on: every
 * link and form of the public site would then lead nowhere.
 */
@ApplicationScoped
public class BaseUrlCheck {

    private static final Set<String> THIS_MACHINE = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final SiteConfig site;

    BaseUrlCheck(SiteConfig site) {
        this.site = site;
    }

    void started(@Observes HttpServerStart start) {
        String problem = problem(site.baseUrl(), start.options().getPort());
        if (problem != null) {
            Log.warn(problem);
        }
    }

    /** A message when the base URL plainly points at another port of this machine, otherwise null. */
    static String problem(String baseUrl, int listeningPort) {
        URI uri;
        try {
            uri = URI.create(baseUrl);
        } catch (IllegalArgumentException e) {
            return null; // the configuration check reports a malformed URL
        }
        if (uri.getHost() == null || !THIS_MACHINE.contains(uri.getHost().toLowerCase(Locale.ROOT)) || listeningPort <= 0) {
            return null;
        }
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        if (port == listeningPort) {
            return null;
        }
        return "gazette.site.base-url (GAZETTE_SITE_BASE_URL) is " + baseUrl + ", but Gazette listens on port "
                + listeningPort + ": links and forms of the public site will point at port " + port
                + ". Unset it to follow the listening port, or set it to the address readers use.";
    }
}
