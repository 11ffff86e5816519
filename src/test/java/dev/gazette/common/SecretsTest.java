package dev.gazette.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gazette.common.config.SecretNames;
import dev.gazette.common.config.SecretsConfig;
import dev.gazette.common.config.StartupConfig;
import io.quarkus.runtime.configuration.ConfigurationException;

class SecretsTest {

    private static final String KEY_32 = Base64.getEncoder().encodeToString(new byte[32]);

    @TempDir
    Path dir;

    @AfterEach
    void clearProperties() {
        System.clearProperty(SecretNames.TOKEN_SIGNING_KEY);
        System.clearProperty(SecretNames.CREDENTIAL_KEY);
    }

    @Test
    void shouldRefuseToStartWithoutSigningKeyAndNameTheVariable() {
        Secrets secrets = new Secrets(config(Optional.empty(), Optional.of(KEY_32)));
        ConfigurationException e = assertThrows(ConfigurationException.class, secrets::validate);
        assertTrue(e.getMessage().startsWith("GAZETTE_SECRETS_TOKEN_SIGNING_KEY (gazette.secrets.token-signing-key) is not set"),
                e.getMessage());
    }

    @Test
    void shouldRefuseMalformedOrShortKeys() {
        assertTrue(assertThrows(ConfigurationException.class,
                () -> new Secrets(config(Optional.of("not base64!"), Optional.of(KEY_32))).validate())
                .getMessage().contains("not valid Base64"));
        String short16 = Base64.getEncoder().encodeToString(new byte[16]);
        assertTrue(assertThrows(ConfigurationException.class,
                () -> new Secrets(config(Optional.of(short16), Optional.of(KEY_32))).validate())
                .getMessage().contains("at least 32 bytes, not 16"));
        String odd = Base64.getEncoder().encodeToString(new byte[20]);
        assertTrue(assertThrows(ConfigurationException.class,
                () -> new Secrets(config(Optional.of(KEY_32), Optional.of(odd))).validate())
                .getMessage().startsWith("GAZETTE_SECRETS_CREDENTIAL_KEY"));
    }

    @Test
    void shouldGenerateLocalSecretsOnceAndKeepThem() throws Exception {
        StartupConfig unset = new StartupConfig(Optional.empty(), Optional.empty(), Optional.empty(), dir, 0,
                java.time.Duration.ZERO, Optional.empty(), Optional.empty());
        LocalSecrets.provide(dir, unset);
        String signing = System.getProperty(SecretNames.TOKEN_SIGNING_KEY);
        String credential = System.getProperty(SecretNames.CREDENTIAL_KEY);
        assertEquals(32, Base64.getDecoder().decode(signing).length);
        assertNotEquals(signing, credential);
        Path file = dir.resolve("secrets.properties");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        clearProperties();
        LocalSecrets.provide(dir, unset);
        assertEquals(signing, System.getProperty(SecretNames.TOKEN_SIGNING_KEY));
        assertEquals(credential, System.getProperty(SecretNames.CREDENTIAL_KEY));

        Secrets secrets = new Secrets(config(Optional.of(signing), Optional.of(credential)));
        secrets.validate();
        assertArrayEquals(Base64.getDecoder().decode(signing), secrets.tokenSigningKey());
    }

    @Test
    void shouldLeaveConfiguredSecretsAlone() {
        StartupConfig configured = new StartupConfig(Optional.empty(), Optional.empty(), Optional.empty(), dir, 0,
                java.time.Duration.ZERO, Optional.of(KEY_32), Optional.empty());
        LocalSecrets.provide(dir, configured);
        assertEquals(null, System.getProperty(SecretNames.TOKEN_SIGNING_KEY));
        assertTrue(System.getProperty(SecretNames.CREDENTIAL_KEY) != null);
    }

    private static SecretsConfig config(Optional<String> signing, Optional<String> credential) {
        return new SecretsConfig() {
            @Override
            public Optional<String> tokenSigningKey() {
                return signing;
            }

            @Override
            public Optional<String> credentialKey() {
                return credential;
            }

            @Override
            public Optional<java.util.List<String>> previousCredentialKeys() {
                return Optional.empty();
            }
        };
    }
}
