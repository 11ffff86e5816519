package dev.gazette.lifecycle;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.gazette.testing.GazetteProcess;

/**
 * An event committed just before a crash is still delivered: the packaged Gazette, in its own JVM, records a
 * {@code subscriber.created} event while its dispatcher is held back, is killed with {@code kill -9}, and on the next
 * start delivers the event to the receiver once, signed with the endpoint's secret.
 */
class WebhookRestartIT {

    private static final Duration START = Duration.ofSeconds(90);
    private static final String SECRET = "receiver-secret-0123456789";
    private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");
    private static final Pattern SIGNATURE = Pattern.compile("t=(\\d+),v1=([0-9a-f]{64})");

    @TempDir
    Path work;

    private final WireMockServer receiver = new WireMockServer(options().dynamicPort());

    @AfterEach
    void stop() {
        receiver.stop();
    }

    @Test
    void anEventCommittedBeforeAKillIsDeliveredOnceAfterTheRestart() throws Exception {
        receiver.start();
        receiver.stubFor(post(urlEqualTo("/hooks/gazette")).willReturn(aResponse().withStatus(204)));
        int port = GazetteProcess.freePort();
        Map<String, String> env = Map.of("GAZETTE_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", "true", "GAZETTE_WEBHOOKS_POLL_INTERVAL", "1s");

        // the first run records the event but never delivers it: its dispatcher is off
        GazetteProcess first = GazetteProcess.start(work, port, withDispatcher(env, false)).awaitReady(START);
        String token = token(first);
        var endpoint = first.send(HttpRequest.newBuilder(first.uri("/api/v1/webhooks")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"CRM\", \"url\": \""
                        + receiver.baseUrl() + "/hooks/gazette\", \"secret\": \"" + SECRET + "\", \"events\": [\"subscriber.created\"]}")));
        assertEquals(201, endpoint.statusCode(), endpoint.body());
        var subscribed = first.send(HttpRequest.newBuilder(first.uri("/subscribe"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("email=" + URLEncoder.encode("ada@example.org", StandardCharsets.UTF_8))));
        assertEquals(200, subscribed.statusCode(), subscribed.body());
        Thread.sleep(2000);
        assertEquals(0, receiver.getAllServeEvents().size(), "nothing delivered before the crash");
        first.process().toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        first.kill();

        GazetteProcess again = GazetteProcess.start(work, port, withDispatcher(env, true)).awaitReady(START);
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (receiver.findAll(postRequestedFor(urlEqualTo("/hooks/gazette"))).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            Thread.sleep(3000);
            List<LoggedRequest> received = receiver.findAll(postRequestedFor(urlEqualTo("/hooks/gazette")));
            assertEquals(1, received.size(), "delivered once:\n" + again.log());
            LoggedRequest request = received.get(0);
            String body = request.getBodyAsString();
            assertTrue(body.contains("\"type\":\"subscriber.created\""), body);
            assertTrue(body.contains("ada@example.org"), body);
            Matcher m = SIGNATURE.matcher(String.valueOf(request.getHeader("X-Gazette-Signature")));
            assertTrue(m.matches(), request.getHeader("X-Gazette-Signature"));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((m.group(1) + ".").getBytes(StandardCharsets.UTF_8));
            assertEquals(HexFormat.of().formatHex(mac.doFinal(request.getBody())), m.group(2), "HMAC-SHA256 of t.body");
        } finally {
            again.terminate(Duration.ofSeconds(60));
        }
    }

    private static Map<String, String> withDispatcher(Map<String, String> env, boolean on) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("GAZETTE_WEBHOOKS_DISPATCHER_ENABLED", Boolean.toString(on));
        return all;
    }

    /** A new API token of the administrator, through HTTP Basic. */
    private static String token(GazetteProcess gazette) throws Exception {
        String basic = Base64.getEncoder().encodeToString(("admin:" + GazetteProcess.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        var response = gazette.send(HttpRequest.newBuilder(gazette.uri("/api/v1/tokens"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"it-webhooks\"}")));
        assertEquals(201, response.statusCode(), response.body());
        Matcher m = TOKEN.matcher(response.body());
        assertTrue(m.find());
        return m.group(1);
    }
}
