package dev.gazette.mail;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A DKIM signing key, read from the forms operators have: PEM PKCS#8 ({@code BEGIN PRIVATE KEY}, as
 * {@code openssl genpkey} writes it, RSA or Ed25519), PEM PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, as older
 * {@code openssl genrsa} and many DKIM guides write it), or the bare Base64 body of either without its PEM lines.
 *
 * @param key       the private key
 * @param algorithm the DKIM {@code a=} value it signs with: {@code rsa-sha256} or {@code ed25519-sha256}
 */
public record DkimKey(PrivateKey key, String algorithm) {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    /** The DER of the AlgorithmIdentifier of rsaEncryption (1.2.840.113549.1.1.1, parameters NULL). */
    private static final byte[] RSA_ALGORITHM = { 0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00 };

    static final String FORMS = "a PEM private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY; RSA or Ed25519) "
            + "or the Base64 text between its BEGIN and END lines";

    /**
     * Reads a key.
     *
     * @param text    the key's text: PEM or bare Base64; white space and line breaks anywhere are ignored
     * @param setting the setting the key came from, named in the message when it cannot be read
     * @throws IllegalArgumentException naming the setting and the forms accepted, when the text is no key Gazette reads
     */
    public static DkimKey read(String text, String setting) {
        if (text == null || text.isBlank()) {
            throw unreadable(setting, "it is empty");
        }
        String type = null;
        String body = text;
        Matcher pem = PEM.matcher(text);
        if (pem.find()) {
            type = pem.group(1);
            body = pem.group(2);
        } else if (text.contains("-----")) {
            throw unreadable(setting, "its BEGIN and END lines do not match");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(body.replaceAll("\\s+", ""));
        } catch (IllegalArgumentException e) {
            throw unreadable(setting, "it is not Base64");
        }
        if (type != null && !type.equals("PRIVATE KEY") && !type.equals("RSA PRIVATE KEY")) {
            throw unreadable(setting, "it is a " + type + (type.contains("PUBLIC") ? " (the private key signs)" : ""));
        }
        if ("RSA PRIVATE KEY".equals(type)) {
            return rsa(pkcs8(der), setting);
        }
        // PKCS#8 (PEM or bare); a bare body may also be PKCS#1
        for (String algorithm : new String[] { "RSA", "Ed25519" }) {
            try {
                PrivateKey key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                return new DkimKey(key, algorithm.equals("RSA") ? "rsa-sha256" : "ed25519-sha256");
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // try the next form
            }
        }
        if (type == null) {
            try {
                return rsa(pkcs8(der), setting);
            } catch (IllegalArgumentException e) {
                // fall through to the message below
            }
        }
        throw unreadable(setting, "it holds no RSA or Ed25519 private key");
    }

    private static DkimKey rsa(byte[] pkcs8, String setting) {
        try {
            return new DkimKey(KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8)), "rsa-sha256");
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw unreadable(setting, "it holds no RSA private key");
        }
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo, the form Java's key factories read. */
    static byte[] pkcs8(byte[] pkcs1) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes(new byte[] { 0x02, 0x01, 0x00 }); // version 0
        content.writeBytes(RSA_ALGORITHM);
        content.write(0x04); // OCTET STRING holding the PKCS#1 key
        content.writeBytes(length(pkcs1.length));
        content.writeBytes(pkcs1);
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        info.write(0x30);
        info.writeBytes(length(content.size()));
        info.writeBytes(content.toByteArray());
        return info.toByteArray();
    }

    /** A DER length: short form below 128, else the number of length bytes then the length, big-endian. */
    private static byte[] length(int length) {
        if (length < 0x80) {
            return new byte[] { (byte) length };
        }
        int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
        byte[] out = new byte[bytes + 1];
        out[0] = (byte) (0x80 | bytes);
        for (int i = bytes; i > 0; i--) {
            out[i] = (byte) length;
            length >>>= 8;
        }
        return out;
    }

    private static IllegalArgumentException unreadable(String setting, String why) {
        return new IllegalArgumentException(setting + " cannot be read as a DKIM key: " + why + ". Expected " + FORMS
                + "; docs/guide/digests.md shows the openssl commands");
    }
}
