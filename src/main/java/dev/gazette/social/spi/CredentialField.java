package dev.gazette.social.spi;

/**
 * A credential a channel of some network needs, as the API accepts it (write-only) and the README lists it.
 *
 * @param name the JSON field name in {@code credentials}
 * @param required whether a channel cannot work without it
 * @param description what it is and where to get it
 */
public record CredentialField(String name, boolean required, String description) {
}
