package dev.gazette.social;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class CredentialCipherTest {

    private static final byte[] OLD = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NEW = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);

    @Test
    void sealsWithAFreshNonceAndOpensAgain() {
        CredentialCipher cipher = new CredentialCipher(OLD, List.of());
        byte[] a = cipher.seal("{\"accessToken\":\"secret\"}", "credentials");
        byte[] b = cipher.seal("{\"accessToken\":\"secret\"}", "credentials");
        assertFalse(Arrays.equals(a, b), "a new nonce each time");
        assertFalse(new String(a, StandardCharsets.ISO_8859_1).contains("secret"));
        assertEquals("{\"accessToken\":\"secret\"}", cipher.open(a, "credentials"));
    }

    @Test
    void tamperingOrAnotherPurposeIsRefused() {
        CredentialCipher cipher = new CredentialCipher(OLD, List.of());
        byte[] sealed = cipher.seal("token", "credentials");
        byte[] flipped = sealed.clone();
        flipped[flipped.length - 1] ^= 1;
        assertThrows(IllegalStateException.class, () -> cipher.open(flipped, "credentials"));
        assertThrows(IllegalStateException.class, () -> cipher.open(sealed, "session"));
    }

    @Test
    void rotationReadsOldValuesAndResealsThemUnderTheNewKey() {
        byte[] sealedOld = new CredentialCipher(OLD, List.of()).seal("token", "credentials");
        CredentialCipher rotated = new CredentialCipher(NEW, List.of(OLD));
        assertTrue(rotated.needsResealing(sealedOld));
        assertEquals("token", rotated.open(sealedOld, "credentials"));
        byte[] resealed = rotated.seal("token", "credentials");
        assertFalse(rotated.needsResealing(resealed));
        CredentialCipher newOnly = new CredentialCipher(NEW, List.of());
        assertEquals("token", newOnly.open(resealed, "credentials"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> newOnly.open(sealedOld, "credentials"));
        assertTrue(e.getMessage().contains("gazette.secrets.previous-credential-keys"), e.getMessage());
        assertArrayEquals(new byte[] { 1 }, Arrays.copyOf(resealed, 1), "format version");
    }
}
