package dev.gazette.social.connector;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.gazette.social.spi.SocialHttp;

/**
 * What every connector test starts from: the network as a WireMock server on loopback, emptied before each test,
 * and Gazette's HTTP client with short timeouts and a fixed clock.
 */
public abstract class ConnectorTestBase {

    /** The network: stubs and the requests it received. */
    protected static WireMockServer server;

    @BeforeAll
    static void startNetwork() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
    }

    @AfterAll
    static void stopNetwork() {
        server.stop();
    }

    @BeforeEach
    void resetNetwork() {
        server.resetAll();
    }

    /** The client connectors get, allowed to reach loopback, its clock fixed at {@code now}. */
    protected static SocialHttp http(Instant now) {
        return new SocialHttp(Duration.ofSeconds(2), Duration.ofSeconds(2), true, "Gazette/test", Clock.fixed(now, ZoneOffset.UTC));
    }
}
