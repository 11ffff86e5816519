package dev.gazette.social.spi;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;

/**
 * The client every connector uses: what counts as "not sent" and what as "outcome unknown", the address guard, and
 * the download cap.
 */
class SocialHttpTest {

    static WireMockServer server;

    @BeforeAll
    static void start() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        server.stubFor(get(urlEqualTo("/small")).willReturn(aResponse().withBody(new byte[500])));
        server.stubFor(get(urlEqualTo("/big")).willReturn(aResponse().withBody(new byte[5000])));
        server.stubFor(get(urlEqualTo("/chunked")).willReturn(aResponse().withBody(new byte[5000]).withChunkedDribbleDelay(5, 50)));
        server.stubFor(get(urlEqualTo("/trickle")).willReturn(aResponse().withBody(new byte[10]).withChunkedDribbleDelay(10, 5000)));
        server.stubFor(get(urlEqualTo("/reset")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        try { // the first request to a fresh WireMock can be slow on a busy machine
            new SocialHttp(Duration.ofSeconds(30), Duration.ofSeconds(30), true, "warm-up", Clock.systemUTC()).send(request("/small"));
        } catch (SocialHttp.NotSent | SocialHttp.OutcomeUnknown e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private static SocialHttp http(boolean allowPrivate) {
        return new SocialHttp(Duration.ofSeconds(5), Duration.ofSeconds(5), allowPrivate, "Gazette/test", Clock.systemUTC());
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).GET();
    }

    @Test
    void downloadsAreCappedByLengthAndWhileReading() throws Exception {
        assertArrayEquals(new byte[500], http(true).download(request("/small"), 1000).body());
        SocialHttp.NotSent declared = assertThrows(SocialHttp.NotSent.class, () -> http(true).download(request("/big"), 1000));
        assertTrue(declared.permanent());
        assertThrows(SocialHttp.NotSent.class, () -> http(true).download(request("/chunked"), 1000));
    }

    @Test
    void aServerThatTricklesIsCutAtTwiceTheRequestTimeout() {
        // a byte every half second never trips the 1 s read timeout; the whole exchange would take 5 s
        SocialHttp http = new SocialHttp(Duration.ofSeconds(1), Duration.ofSeconds(1), true, "Gazette/test", Clock.systemUTC());
        long start = System.nanoTime();
        SocialHttp.OutcomeUnknown cut = assertThrows(SocialHttp.OutcomeUnknown.class, () -> http.download(request("/trickle"), 1000));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(cut.getMessage().contains("took longer than 2 s"), cut.getMessage());
        assertTrue(millis < 4500, "cut after " + millis + " ms");
    }

    @Test
    void privateAddressesAreRefusedBeforeAnyRequest() {
        int before = server.getAllServeEvents().size();
        SocialHttp.NotSent refused = assertThrows(SocialHttp.NotSent.class, () -> http(false).send(request("/small")));
        assertTrue(refused.permanent());
        assertTrue(refused.getMessage().contains("non-public address"), refused.getMessage());
        assertEquals(before, server.getAllServeEvents().size());
    }

    @Test
    void aRefusedConnectionWasNotSentAndABrokenOneMayHaveBeen() {
        SocialHttp.NotSent refused = assertThrows(SocialHttp.NotSent.class,
                () -> http(true).send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:1/")).GET()));
        assertTrue(!refused.permanent());
        assertThrows(SocialHttp.OutcomeUnknown.class, () -> http(true).send(request("/reset")));
    }

    @Test
    void aNameThatRebindsToAPrivateAddressAfterTheCheckIsNeverReached() throws Exception {
        // answers a public address to the check, then loopback, where WireMock listens
        java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
        dev.gazette.common.PublicAddressResolver rebinding = new dev.gazette.common.PublicAddressResolver(false,
                host -> new java.net.InetAddress[] { lookups.incrementAndGet() == 1
                        ? java.net.InetAddress.getByName("93.184.216.34") : java.net.InetAddress.getLoopbackAddress() });
        SocialHttp http = new SocialHttp(Duration.ofSeconds(1), Duration.ofSeconds(2), rebinding, "Gazette/test", Clock.systemUTC());
        int before = server.getAllServeEvents().size();
        URI uri = URI.create("http://rebind.test:" + server.port() + "/small");

        http.checkAddress(uri);
        SocialHttp.NotSent refused = assertThrows(SocialHttp.NotSent.class, () -> http.send(HttpRequest.newBuilder(uri).GET()));
        assertTrue(refused.permanent());
        assertTrue(refused.getMessage().contains("non-public address (127.0.0.1)"), refused.getMessage());
        assertEquals(2, lookups.get(), "the connection used its own checked answer");
        assertEquals(before, server.getAllServeEvents().size(), "nothing reached the private address");
    }
}
