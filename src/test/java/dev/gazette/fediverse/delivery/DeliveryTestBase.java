package dev.gazette.fediverse.delivery;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.gazette.fediverse.FediverseProfile;
import dev.gazette.testing.GazetteTest;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * What the delivery tests share: followers written straight into the table, counts over the ledger, and a check of
 * draft-cavage signatures that builds the signing string itself and verifies it with the JDK, independently of the
 * code that signs.
 */
abstract class DeliveryTestBase extends GazetteTest {

    static final Pattern CAVAGE = Pattern.compile(
            "keyId=\"([^\"]+)\",algorithm=\"rsa-sha256\",headers=\"([^\"]+)\",signature=\"([^\"]+)\"");

    static void follower(String actor, String inbox, String sharedInbox, Instant followedAt) {
        QuarkusTransaction.requiringNew().run(() -> Panache.getEntityManager().createNativeQuery("""
                insert into fediverse_follower (actor_id, inbox, shared_inbox, host, follow_activity_id, accepted_at, created_at)
                values (:actor, :inbox, :shared, 'localhost', :follow, :at, :at)""").setParameter("actor", actor)
                .setParameter("inbox", inbox).setParameter("shared", sharedInbox).setParameter("follow", actor + "/follows/1")
                .setParameter("at", followedAt).executeUpdate());
    }

    static long count(String sql) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) Panache.getEntityManager().createNativeQuery(sql)
                .getSingleResult()).longValue());
    }

    static void execute(String sql) {
        QuarkusTransaction.requiringNew().run(() -> Panache.getEntityManager().createNativeQuery(sql).executeUpdate());
    }

    /** Waits up to ten seconds for a condition that work on another thread makes true. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "waited 10 s for: " + what);
            Thread.sleep(50);
        }
    }

    /** Checks a draft-cavage signature, made with {@code keyName}, over a signing string built from the request. */
    static void assertCavage(LoggedRequest request, PublicKey key, String keyName, String requestTarget) throws Exception {
        Matcher m = CAVAGE.matcher(request.getHeader("Signature"));
        assertTrue(m.matches(), request.getHeader("Signature"));
        assertEquals(FediverseProfile.ACTOR + "#" + keyName, m.group(1));
        assertEquals("(request-target) host date digest", m.group(2));
        assertEquals("SHA-256=" + Base64.getEncoder().encodeToString(sha256(request.getBody())), request.getHeader("Digest"));
        String base = "(request-target): " + requestTarget + "\nhost: " + request.getHeader("Host") + "\ndate: "
                + request.getHeader("Date") + "\ndigest: " + request.getHeader("Digest");
        assertTrue(verify(key, base, Base64.getDecoder().decode(m.group(3))), "the signature verifies: " + base);
    }

    static boolean verify(PublicKey key, String base, byte[] signature) throws Exception {
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(key);
        verifier.update(base.getBytes(StandardCharsets.UTF_8));
        return verifier.verify(signature);
    }

    static byte[] sha256(byte[] body) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(body);
    }

    /** The publication's public key, as other servers read it from its actor. */
    static PublicKey publicationKey() throws Exception {
        return rsa(given().accept("application/activity+json").when().get("/ap/actor").then().statusCode(200)
                .extract().path("publicKey.publicKeyPem"));
    }

    static PublicKey rsa(String pem) throws Exception {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}
