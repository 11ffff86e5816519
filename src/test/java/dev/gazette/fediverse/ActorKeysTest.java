package dev.gazette.fediverse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import dev.gazette.testing.GazetteTest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The publication's key pair is made once, even when two callers need it at the same moment, and its private half is
 * stored sealed.
 */
@QuarkusTest
@TestProfile(FediverseProfile.class)
class ActorKeysTest extends GazetteTest {

    @Inject
    ActorKeys keys;

    @Inject
    EntityManager em;

    @Test
    void shouldGenerateAnRsa2048KeyOnceAndKeepIt() throws Exception {
        ActorKeys.ActorKey first = keys.current(ActorKeys.PUBLICATION);
        ActorKeys.ActorKey again = keys.current(ActorKeys.PUBLICATION);

        assertEquals(first.publicKeyPem(), again.publicKeyPem());
        assertEquals("main-key", first.keyName());
        assertEquals(1L, rows());
        PublicKey publicKey = ActorKeys.publicKey(first.publicKeyPem());
        assertEquals(2048, ((RSAPublicKey) publicKey).getModulus().bitLength());
        assertTrue(first.publicKeyPem().startsWith("-----BEGIN PUBLIC KEY-----\n"));

        // the private half signs what the published half verifies
        PrivateKey privateKey = keys.privateKey(first);
        byte[] data = "hello fediverse".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(privateKey);
        signer.update(data);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(publicKey);
        verifier.update(data);
        assertTrue(verifier.verify(signature));
    }

    @Test
    void shouldStoreThePrivateKeySealed() {
        ActorKeys.ActorKey key = keys.current(ActorKeys.PUBLICATION);
        byte[] stored = QuarkusTransaction.requiringNew().call(() -> (byte[]) em
                .createNativeQuery("select private_key from fediverse_key where actor = 'publication'").getSingleResult());
        byte[] der = keys.privateKey(key).getEncoded();
        String stuff = new String(stored, StandardCharsets.ISO_8859_1);
        assertFalse(stuff.contains(Base64.getEncoder().encodeToString(der).substring(0, 40)), "no Base64 of the key");
        assertFalse(indexOf(stored, java.util.Arrays.copyOfRange(der, 0, 40)) >= 0, "no DER of the key");
        assertEquals(1, stored[0], "the sealed value's version byte");
    }

    @Test
    void shouldAgreeOnOneKeyWhenTwoCallersNeedItAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Callable<String> need = () -> {
                start.await();
                return keys.current(ActorKeys.PUBLICATION).publicKeyPem();
            };
            List<Future<String>> results = List.of(pool.submit(need), pool.submit(need), pool.submit(need), pool.submit(need));
            start.countDown();
            String pem = results.get(0).get();
            for (Future<String> result : results) {
                assertEquals(pem, result.get());
            }
            assertEquals(1L, rows());
        } finally {
            pool.shutdownNow();
        }
    }

    private long rows() {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em
                .createNativeQuery("select count(*) from fediverse_key").getSingleResult()).longValue());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void aPrivateKeySealedWithARotatedCredentialKeyIsSealedAgainAndStillSigns() throws Exception {
        ActorKeys.ActorKey key = keys.current(ActorKeys.PUBLICATION);
        String der = Base64.getEncoder().encodeToString(keys.privateKey(key).getEncoded());
        // the key the test profile lists in gazette.secrets.previous-credential-keys
        byte[] old = new dev.gazette.social.CredentialCipher("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII),
                List.of()).seal(der, ActorKeys.PURPOSE);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update fediverse_key set private_key = :k")
                .setParameter("k", old).executeUpdate());

        assertEquals(1, keys.resealAll());
        assertEquals(0, keys.resealAll(), "once");
        byte[] stored = QuarkusTransaction.requiringNew().call(() -> (byte[]) em.createNativeQuery(
                "select private_key from fediverse_key").getSingleResult());
        assertFalse(java.util.Arrays.equals(old, stored));
        ActorKeys.ActorKey resealed = keys.current(ActorKeys.PUBLICATION);
        assertEquals(der, Base64.getEncoder().encodeToString(java.security.KeyFactory.getInstance("RSA")
                .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(Base64.getDecoder().decode(
                        new dev.gazette.social.CredentialCipher("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII),
                                List.of()).open(resealed.sealedPrivateKey(), ActorKeys.PURPOSE)))).getEncoded()),
                "sealed under the current key");
    }
}
