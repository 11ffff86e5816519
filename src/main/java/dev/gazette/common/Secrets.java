package dev.gazette.common;

import java.util.Base64;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import dev.gazette.common.config.SecretNames;
import dev.gazette.common.config.SecretsConfig;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * The decoded secrets, checked at start-up so a misconfigured server refuses to start instead of failing later.
 */
// Checked before every other start-up observer, so nothing is written with a server that must not start.
@Startup(Interceptor.Priority.PLATFORM_BEFORE)
@Singleton
public class Secrets {

    private final SecretsConfig config;
    private byte[] tokenSigningKey;
    private byte[] credentialKey;
    private List<byte[]> previousCredentialKeys;

    Secrets(SecretsConfig config) {
        this.config = config;
    }

    @PostConstruct
    void validate() {
        tokenSigningKey = decode(config.tokenSigningKey(), SecretNames.TOKEN_SIGNING_KEY, 32, false);
        credentialKey = decode(config.credentialKey(), SecretNames.CREDENTIAL_KEY, 16, true);
        previousCredentialKeys = config.previousCredentialKeys().orElse(List.of()).stream()
                .map(k -> decode(Optional.of(k), SecretNames.PREVIOUS_CREDENTIAL_KEYS, 16, true)).toList();
    }

    private static byte[] decode(Optional<String> value, String name, int minBytes, boolean aesKey) {
        String env = SecretNames.envName(name);
        String hint = " Generate one with: openssl rand -base64 32";
        String encoded = value.map(String::trim).filter(s -> !s.isEmpty())
                .orElseThrow(() -> new ConfigurationException(env + " (" + name + ") is not set. Gazette needs it when it runs"
                        + " against an external database." + hint));
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(env + " (" + name + ") is not valid Base64." + hint);
        }
        if (key.length < minBytes || (aesKey && key.length != 16 && key.length != 24 && key.length != 32)) {
            throw new ConfigurationException(env + " (" + name + ") must decode to " + (aesKey ? "16, 24 or 32" : "at least 32")
                    + " bytes, not " + key.length + "." + hint);
        }
        return key;
    }

    public byte[] tokenSigningKey() {
        return tokenSigningKey.clone();
    }

    public byte[] credentialKey() {
        return credentialKey.clone();
    }

    /** Keys of earlier rotations, accepted for reading only. */
    public List<byte[]> previousCredentialKeys() {
        return previousCredentialKeys.stream().map(byte[]::clone).toList();
    }
}
