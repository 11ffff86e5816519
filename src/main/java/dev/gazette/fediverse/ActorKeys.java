package dev.gazette.fediverse;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;

import dev.gazette.social.CredentialCipher;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

/**
 * The actors' RSA-2048 key pairs: generated at first need, stored in {@code fediverse_key} with the private key sealed
 * like channel credentials ({@link CredentialCipher}), then read from there. Two nodes needing the first key at once
 * both generate one, but only the first insert lands (a unique index on the actor's current key) and both use it.
 */
@Singleton
public class ActorKeys {

    /** The publication's actor, the only one so far. */
    public static final String PUBLICATION = "publication";
    static final String FIRST_KEY = "main-key";
    static final String PURPOSE = "fediverse-key";

    private static final String CURRENT = """
            select id, key_id, public_key_pem, private_key, created_at from fediverse_key
            where actor = :actor and retired_at is null""";
    private static final String INSERT = """
            insert into fediverse_key (actor, key_id, public_key_pem, private_key, created_at)
            values (:actor, :keyId, :pem, :sealed, :now)
            on conflict do nothing"""; // whichever unique key two nodes race on (current key, key name), one row wins

    // only the key the rotation means to replace: a rotation decided on an older page retires nothing
    private static final String RETIRE = """
            update fediverse_key set retired_at = :now where actor = :actor and retired_at is null
                and (:expected = '' or key_id = :expected)""";
    private static final String NEXT_NUMBER = "select count(*) + 1 from fediverse_key where actor = :actor";
    private static final String HISTORY = """
            select key_id, created_at, retired_at from fediverse_key where actor = :actor order by created_at desc, id desc""";

    /** One of an actor's keys, current or retired, as the editor UI lists them. */
    public record KeyRecord(String keyName, Instant createdAt, Instant retiredAt) {
    }

    /** An actor's key as other servers see it, and where its private half is. */
    public record ActorKey(long id, String keyName, String publicKeyPem, Instant createdAt, byte[] sealedPrivateKey) {
    }

    private final EntityManager em;
    private final CredentialCipher cipher;
    private final Clock clock;
    private final Map<String, PrivateKey> opened = new ConcurrentHashMap<>();

    ActorKeys(EntityManager em, CredentialCipher cipher, Clock clock) {
        this.em = em;
        this.cipher = cipher;
        this.clock = clock;
    }

    /** The actor's current key, generated and stored first if it has none. */
    public ActorKey current(String actor) {
        ActorKey key = find(actor);
        if (key != null) {
            return key;
        }
        KeyPair pair = generate();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(INSERT)
                .setParameter("actor", actor).setParameter("keyId", FIRST_KEY)
                .setParameter("pem", pem(pair.getPublic()))
                .setParameter("sealed", cipher.seal(Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()), PURPOSE))
                .setParameter("now", clock.instant()).executeUpdate());
        key = find(actor);
        if (key == null) {
            throw new IllegalStateException("The key of actor " + actor + " was neither found nor stored");
        }
        return key;
    }

    /**
     * Retires the actor's current key, when it is the one named {@code replacing} (any current key when null), and
     * makes a new one ({@code key-2}, {@code key-3} ...), in the caller's transaction; empty when that key is no longer
     * current. Two administrators who both saw {@code key-2} and pressed rotate: the second's retirement finds
     * {@code key-2} retired, whether the first committed before it started or while it waited on the row, and it
     * gets empty and rolls back, so only one new key is made. The unique index on the current key refuses a second
     * new key in any case.
     */
    public java.util.Optional<ActorKey> rotate(String actor, String replacing) {
        current(actor);
        KeyPair pair = generate();
        Instant now = clock.instant();
        if (em.createNativeQuery(RETIRE).setParameter("actor", actor).setParameter("now", now)
                .setParameter("expected", replacing == null ? "" : replacing).executeUpdate() != 1) {
            return java.util.Optional.empty();
        }
        long number = ((Number) em.createNativeQuery(NEXT_NUMBER).setParameter("actor", actor).getSingleResult()).longValue();
        int inserted = em.createNativeQuery(INSERT).setParameter("actor", actor).setParameter("keyId", "key-" + number)
                .setParameter("pem", pem(pair.getPublic()))
                .setParameter("sealed", cipher.seal(Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()), PURPOSE))
                .setParameter("now", now).executeUpdate();
        return inserted == 1 ? java.util.Optional.ofNullable(find(actor)) : java.util.Optional.empty();
    }

    /** The actor's keys, newest first. */
    public List<KeyRecord> history(String actor) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery(HISTORY).setParameter("actor", actor).getResultList();
            return rows.stream().map(r -> new KeyRecord((String) r[0], toInstant(r[1]), r[2] == null ? null : toInstant(r[2])))
                    .toList();
        });
    }

    /** Seals every private key again under the current credential key (after a key rotation); at start-up. */
    public int resealAll() {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("select id, private_key from fediverse_key").getResultList();
            int count = 0;
            for (Object[] r : rows) {
                byte[] sealed = (byte[]) r[1];
                if (cipher.needsResealing(sealed)) {
                    em.createNativeQuery("update fediverse_key set private_key = :sealed where id = :id")
                            .setParameter("sealed", cipher.seal(cipher.open(sealed, PURPOSE), PURPOSE))
                            .setParameter("id", ((Number) r[0]).longValue()).executeUpdate();
                    count++;
                }
            }
            return count;
        });
    }

    void onStart(@Observes StartupEvent event) {
        int resealed = resealAll();
        if (resealed > 0) {
            Log.infof("Sealed %d fediverse private key(s) again under the current credential key", resealed);
        }
    }

    /** The private half of a key, opened once per key and kept in memory. */
    public PrivateKey privateKey(ActorKey key) {
        // keyed by the public half, which no other key shares (row ids start again after a restore)
        return opened.computeIfAbsent(key.publicKeyPem(), pem -> {
            try {
                byte[] der = Base64.getDecoder().decode(cipher.open(key.sealedPrivateKey(), PURPOSE));
                return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("The stored private key of " + key.keyName() + " is not an RSA key", e);
            }
        });
    }

    private ActorKey find(String actor) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery(CURRENT).setParameter("actor", actor).getResultList();
            if (rows.isEmpty()) {
                return null;
            }
            Object[] r = rows.get(0);
            return new ActorKey(((Number) r[0]).longValue(), (String) r[1], (String) r[2], toInstant(r[4]), (byte[]) r[3]);
        });
    }

    private static Instant toInstant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        return ((java.sql.Timestamp) value).toInstant();
    }

    static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is not available", e);
        }
    }

    /** A public key as PEM ({@code -----BEGIN PUBLIC KEY-----}, SubjectPublicKeyInfo), as Mastodon publishes it. */
    public static String pem(PublicKey key) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
    }

    /** Reads a PEM public key (SubjectPublicKeyInfo), as remote actors publish theirs. */
    public static PublicKey publicKey(String pem) {
        String body = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Not an RSA public key in PEM form", e);
        }
    }
}
