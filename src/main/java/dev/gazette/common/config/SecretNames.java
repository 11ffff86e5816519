package dev.gazette.common.config;

/**
 * Property names of the secrets, shared by the start-up code (before CDI) and {@link SecretsConfig}.
 */
public final class SecretNames {

    public static final String TOKEN_SIGNING_KEY = "gazette.secrets.token-signing-key";
    public static final String CREDENTIAL_KEY = "gazette.secrets.credential-key";
    public static final String PREVIOUS_CREDENTIAL_KEYS = "gazette.secrets.previous-credential-keys";

    private SecretNames() {
    }

    /** The environment-variable form of a property name, as Quarkus maps it. */
    public static String envName(String property) {
        return property.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
