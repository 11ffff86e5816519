package dev.gazette.article.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.gazette.common.PrivateAddresses;
import dev.gazette.common.PublicAddressResolver;

class FeedFetcherTest {

    private static final FeedsConfig CONFIG = new FeedsConfig() {
        @Override
        public boolean allowPrivateAddresses() {
            return false;
        }

        @Override
        public long maxBytes() {
            return 1000;
        }

        @Override
        public Duration connectTimeout() {
            return Duration.ofSeconds(2);
        }

        @Override
        public Duration requestTimeout() {
            return Duration.ofSeconds(2);
        }

        @Override
        public int maxRedirects() {
            return 5;
        }

        @Override
        public Duration pollJobInterval() {
            return Duration.ofMinutes(1);
        }

        @Override
        public Duration defaultPollInterval() {
            return Duration.ofMinutes(30);
        }
    };

    private final FeedFetcher fetcher = new FeedFetcher(CONFIG);

    @ParameterizedTest
    @ValueSource(strings = { "http://127.0.0.1/feed", "http://localhost:8080/feed", "http://10.1.2.3/", "http://192.168.1.1/",
            "http://172.16.0.1/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://[fd00::1]/",
            "http://[::ffff:127.0.0.1]/", "http://100.64.0.1/", "http://0.0.0.0/", "http://[::127.0.0.1]/",
            "http://[64:ff9b::7f00:1]/", "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/", "http://[2002:7f00:1::]/" })
    void shouldRefusePrivateAddresses(String url) {
        FeedFetcher.FetchException e = assertThrows(FeedFetcher.FetchException.class, () -> fetcher.fetch(url, null, null));
        assertTrue(e.getMessage().contains("non-public address"), e.getMessage());
    }

    @Test
    void shouldRefuseOtherSchemes() {
        assertThrows(FeedFetcher.FetchException.class, () -> fetcher.check("file:///etc/passwd"));
        assertThrows(FeedFetcher.FetchException.class, () -> fetcher.check("gopher://example.org/"));
    }

    @Test
    void shouldTellPublicAddresses() throws Exception {
        assertTrue(PrivateAddresses.isPublic(InetAddress.getByName("93.184.216.34")));
        assertTrue(PrivateAddresses.isPublic(InetAddress.getByName("2606:2800:220:1::1")));
        assertFalse(PrivateAddresses.isPublic(InetAddress.getByName("127.8.8.8")));
    }

    @Test
    void aNameThatRebindsToAPrivateAddressAfterTheCheckIsNeverReached() throws Exception {
        com.github.tomakehurst.wiremock.WireMockServer server = new com.github.tomakehurst.wiremock.WireMockServer(
                com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        try {
            // answers a public address to the check, then loopback, where WireMock listens
            AtomicInteger lookups = new AtomicInteger();
            FeedFetcher rebinding = new FeedFetcher(CONFIG, new PublicAddressResolver(false, host -> new InetAddress[] {
                    lookups.incrementAndGet() == 1 ? InetAddress.getByName("93.184.216.34") : InetAddress.getLoopbackAddress() }));
            FeedFetcher.FetchException e = assertThrows(FeedFetcher.FetchException.class,
                    () -> rebinding.fetch("http://feed.test:" + server.port() + "/feed.xml", null, null));
            assertTrue(e.getMessage().contains("non-public address (127.0.0.1)"), e.getMessage());
            assertEquals(2, lookups.get(), "checked, then resolved and checked again for the connection");
            assertEquals(0, server.getAllServeEvents().size(), "nothing reached the private address");
        } finally {
            server.stop();
        }
    }
}
