package dev.gazette.fediverse.signature;

/**
 * The outcome of checking a signed request. Refusals say why in words fit for a log line or a problem response; they
 * never include the key or the signature.
 */
public sealed interface Verification {

    /** The signature is valid for the key and covers what the receiver requires. */
    record Verified(String keyId) implements Verification {
    }

    /** The request must not be trusted. */
    record Refused(String reason) implements Verification {
    }

    default boolean verified() {
        return this instanceof Verified;
    }
}
