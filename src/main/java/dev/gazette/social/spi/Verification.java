package dev.gazette.social.spi;

/**
 * The answer of a "verify credentials" call.
 *
 * @param ok whether the network accepted the credentials
 * @param authProblem true when the credentials themselves were refused (the channel then needs re-authorisation)
 * @param detail the account the credentials belong to when ok; otherwise the network's reason
 */
public record Verification(boolean ok, boolean authProblem, String detail) {

    public static Verification ok(String account) {
        return new Verification(true, false, account);
    }

    public static Verification refused(String reason) {
        return new Verification(false, true, reason);
    }

    public static Verification failed(String reason) {
        return new Verification(false, false, reason);
    }
}
