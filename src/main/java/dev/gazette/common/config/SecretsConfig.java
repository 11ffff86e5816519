package dev.gazette.common.config;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/**
 * Keys that protect links and stored credentials. Generated under the data directory in the zero-setup run;
 * required in production.
 */
@ConfigMapping(prefix = "gazette.secrets")
public interface SecretsConfig {

    /** Base64 key (at least 32 bytes) that signs the tokens in confirmation, preference and unsubscribe links. */
    Optional<String> tokenSigningKey();

    /** Base64 AES key (16, 24 or 32 bytes) that encrypts social-network credentials at rest. */
    Optional<String> credentialKey();

    /**
     * Earlier credential keys (Base64, comma-separated), still accepted for reading during a key rotation; credentials
     * are re-sealed under the current key at start-up, after which they can be removed.
     */
    Optional<List<String>> previousCredentialKeys();
}
