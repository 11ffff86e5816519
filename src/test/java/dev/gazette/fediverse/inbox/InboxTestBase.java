package dev.gazette.fediverse.inbox;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;

import dev.gazette.testing.GazetteTest;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** What the inbox tests share: waiting for the background work, and reading what was stored. */
abstract class InboxTestBase extends GazetteTest {

    static final String INBOX = "/ap/actor/inbox";
    static final String SHARED_INBOX = "/ap/inbox";

    @Inject
    PendingActivities pending;

    /** Lets the background fetches, verifications and deliveries finish. */
    @AfterEach
    void settle() {
        awaitBackground();
    }

    void awaitBackground() {
        assertTrue(pending.awaitIdle(Duration.ofSeconds(20)), "the inbox's background work did not finish");
    }

    static long count(String sql) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) Panache.getEntityManager().createNativeQuery(sql)
                .getSingleResult()).longValue());
    }

    @SuppressWarnings("unchecked")
    static List<Object[]> rows(String sql) {
        return QuarkusTransaction.requiringNew().call(() -> Panache.getEntityManager().createNativeQuery(sql).getResultList());
    }

    static void execute(String sql) {
        QuarkusTransaction.requiringNew().run(() -> Panache.getEntityManager().createNativeQuery(sql).executeUpdate());
    }

    /** The publication's public key, as other servers read it from its actor. */
    static java.security.PublicKey publicationKey() {
        String pem = given().accept("application/activity+json").when().get("/ap/actor").then().statusCode(200)
                .extract().path("publicKey.publicKeyPem");
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            return java.security.KeyFactory.getInstance("RSA")
                    .generatePublic(new java.security.spec.X509EncodedKeySpec(java.util.Base64.getDecoder().decode(base64)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Nothing of an activity was kept: no follower, reply, reaction or tombstone, no recorded activity id, no answer queued. */
    static void assertNothingStored() {
        for (String table : List.of("fediverse_reply", "fediverse_reaction", "fediverse_reaction_actor",
                "fediverse_inbox_tombstone")) {
            org.junit.jupiter.api.Assertions.assertEquals(0, count("select count(*) from " + table), table);
        }
        org.junit.jupiter.api.Assertions.assertEquals(0, count("select count(*) from fediverse_follower"));
        org.junit.jupiter.api.Assertions.assertEquals(0, count("select count(*) from fediverse_inbox_activity"));
        org.junit.jupiter.api.Assertions.assertEquals(0, count("select count(*) from fediverse_outbox"));
    }
}
