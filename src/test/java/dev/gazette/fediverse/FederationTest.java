package dev.gazette.fediverse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.gazette.common.config.SiteConfig;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Federation starts only with an explicit https base URL, and refuses to start otherwise with a message naming the
 * setting; off, it asks for nothing.
 */
class FederationTest {

    @Test
    void shouldRefuseToStartWithoutAnExplicitHttpsBaseUrl() {
        for (String url : new String[] { "http://localhost:8080", "http://news.example.org", "https://", "news.example.org",
                "https://news.example.org/", "https://news.example.org?x=1", "not a url" }) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> new Federation(config(true, "news"), site(url)), url);
            assertTrue(e.getMessage().contains("gazette.site.base-url (GAZETTE_SITE_BASE_URL)"), e.getMessage());
            assertTrue(e.getMessage().contains("gazette.fediverse.enabled"), e.getMessage());
        }
    }

    @Test
    void shouldRefuseAnAccountNameMastodonCannotShow() {
        for (String account : new String[] { "", "news desk", "news@desk", "a".repeat(31) }) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> new Federation(config(true, account), site("https://news.example.org")));
            assertTrue(e.getMessage().contains("gazette.fediverse.account"), e.getMessage());
        }
    }

    @Test
    void shouldStartWithAnHttpsBaseUrlAndNameItsAddresses() {
        Federation federation = new Federation(config(true, "news"), site("https://News.Example.org:8443/paper"));
        assertTrue(federation.enabled());
        assertEquals("news.example.org:8443", federation.authority());
        assertEquals("acct:news@news.example.org:8443", federation.handle());
        assertEquals("https://News.Example.org:8443/paper/ap/actor", federation.actorId());
        assertEquals("https://News.Example.org:8443/paper/ap/actor#main-key", federation.keyId("main-key"));
        assertEquals("https://News.Example.org:8443/paper/ap/inbox", federation.sharedInbox());
    }

    @Test
    void shouldAskNothingWhenOff() {
        Federation federation = new Federation(config(false, "not a name"), site("http://localhost:8080"));
        assertFalse(federation.enabled());
        assertThrows(jakarta.ws.rs.NotFoundException.class, federation::requireEnabled);
        assertNull(Federation.problem(config(true, "news_2"), "https://news.example.org"));
    }

    static FediverseConfig config(boolean enabled, String account) {
        return new FediverseConfig() {
            public boolean enabled() {
                return enabled;
            }

            public String account() {
                return account;
            }

            public Optional<String> iconUrl() {
                return Optional.empty();
            }

            public Optional<String> headerUrl() {
                return Optional.empty();
            }

            public int outboxPageSize() {
                return 20;
            }

            public boolean allowPrivateAddresses() {
                return false;
            }

            public java.time.Duration signatureWindow() {
                return java.time.Duration.ofHours(1);
            }

            public int pendingCapacity() {
                return 1000;
            }

            public java.time.Duration retryInterval() {
                return java.time.Duration.ofMinutes(1);
            }

            public java.time.Duration deliveryInterval() {
                return java.time.Duration.ofSeconds(15);
            }

            public java.time.Duration deliveryGiveUpAfter() {
                return java.time.Duration.ofDays(3);
            }

            public boolean deliverOnPublish() {
                return true;
            }

            public int deliveryConcurrency() {
                return 16;
            }

            public java.time.Duration hostUnavailableAfter() {
                return java.time.Duration.ofDays(2);
            }
        };
    }

    static SiteConfig site(String baseUrl) {
        return new SiteConfig() {
            public String baseUrl() {
                return baseUrl;
            }

            public String name() {
                return "Gazette";
            }

            public String description() {
                return "News.";
            }

            public String language() {
                return "en";
            }

            public Map<String, String> socialLinks() {
                return Map.of();
            }

            public Optional<String> xHandle() {
                return Optional.empty();
            }

            public Optional<String> postalAddress() {
                return Optional.empty();
            }

            public ZoneId timeZone() {
                return ZoneId.of("UTC");
            }
        };
    }
}
