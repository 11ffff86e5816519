package dev.gazette.lifecycle;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.gazette.social.CredentialCipher;
import dev.gazette.testing.GazetteTest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * After a credential key rotation, webhook secrets sealed with the old key are sealed again under the current one
 * (as channel credentials are), and deliveries are still signed with the endpoint's secret.
 */
@QuarkusTest
class WebhookResealTest extends GazetteTest {

    /** The key the test profile lists in gazette.secrets.previous-credential-keys. */
    private static final byte[] PREVIOUS_KEY = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);

    @Inject
    WebhookEndpoints endpoints;

    @Inject
    WebhookDispatcher dispatcher;

    @Inject
    CredentialCipher cipher;

    @Test
    void secretsSealedWithARotatedKeyAreSealedAgainAndStillSign() throws Exception {
        String token = fixtures.editorToken();
        long id = WebhookTestSupport.endpoint(token, wireMock.baseUrl(), "[\"article.published\"]");
        wireMock.stubFor(post(urlEqualTo(WebhookTestSupport.PATH)).willReturn(aResponse().withStatus(204)));
        byte[] old = new CredentialCipher(PREVIOUS_KEY, List.of()).seal(WebhookTestSupport.SECRET, WebhookEndpoints.PURPOSE);
        QuarkusTransaction.requiringNew().run(() -> WebhookEndpoint.<WebhookEndpoint>findById(id).secret = old);

        assertEquals(1, endpoints.resealAll());
        assertEquals(0, endpoints.resealAll(), "once");
        byte[] now = QuarkusTransaction.requiringNew().call(() -> WebhookEndpoint.<WebhookEndpoint>findById(id).secret);
        assertFalse(cipher.needsResealing(now));

        fixtures.published("Storm reaches the coast", "Wind.");
        dispatcher.deliverDue();
        List<LoggedRequest> received = wireMock.findAll(postRequestedFor(urlEqualTo(WebhookTestSupport.PATH)));
        assertEquals(1, received.size());
        WebhookTestSupport.assertSigned(received.get(0), clock.instant().getEpochSecond());
    }
}
