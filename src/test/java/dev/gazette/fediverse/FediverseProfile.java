package dev.gazette.fediverse;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Federation on, as a publication at {@value #BASE_URL} would run it: one profile for every fediverse test, so the
 * application starts once for all of them.
 */
public class FediverseProfile implements QuarkusTestProfile {

    public static final String BASE_URL = "https://news.example.org";
    public static final String HOST = "news.example.org";
    public static final String ACTOR = BASE_URL + "/ap/actor";
    public static final String ICON = "https://cdn.example.org/avatar.png";
    /** What Mastodon sends when it resolves an address. */
    public static final String MASTODON_ACCEPT = "application/activity+json, application/ld+json; "
            + "profile=\"https://www.w3.org/ns/activitystreams\", text/html;q=0.1";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("gazette.fediverse.enabled", "true", "gazette.site.base-url", BASE_URL,
                "gazette.fediverse.icon-url", ICON, "gazette.fediverse.outbox-page-size", "2",
                // WireMock on loopback plays the remote servers
                "gazette.fediverse.allow-private-addresses", "true");
    }
}
