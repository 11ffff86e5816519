package dev.gazette.lifecycle;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * What the webhook tests share: creating an endpoint through the API, and checking a received signature the way the
 * guide tells receivers to, with the JDK's HMAC over {@code t + "." + body} (not with Gazette's own verifier).
 */
final class WebhookTestSupport {

    static final String SECRET = "receiver-secret-0123456789";
    static final String PATH = "/hooks/gazette";
    private static final Pattern SIGNATURE = Pattern.compile("t=(\\d+),v1=([0-9a-f]{64})");

    private WebhookTestSupport() {
    }

    /** Creates an endpoint at WireMock's {@link #PATH}; returns its id. */
    static long endpoint(String token, String baseUrl, String eventsJson) {
        String body = "{\"name\": \"CRM\", \"url\": \"" + baseUrl + PATH + "\", \"secret\": \"" + SECRET + "\""
                + (eventsJson == null ? "" : ", \"events\": " + eventsJson) + "}";
        return ((Number) given().auth().oauth2(token).contentType("application/json").body(body)
                .when().post("/api/v1/webhooks").then().statusCode(201).extract().path("id")).longValue();
    }

    /** Asserts the request carries a signature of its exact body with {@link #SECRET}, made at {@code epochSecond}. */
    static void assertSigned(LoggedRequest request, long epochSecond) throws Exception {
        String header = request.getHeader("X-Gazette-Signature");
        Matcher m = SIGNATURE.matcher(header == null ? "" : header);
        assertTrue(m.matches(), "signature header: " + header);
        assertEquals(epochSecond, Long.parseLong(m.group(1)), "signed at the time of sending");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] body = request.getBody();
        mac.update((m.group(1) + ".").getBytes(StandardCharsets.UTF_8));
        String expected = HexFormat.of().formatHex(mac.doFinal(body));
        assertEquals(expected, m.group(2), "HMAC-SHA256 of t.body");
    }
}
