package dev.gazette.social.spi;

/**
 * The answer of a "verify credentials" call.
 *
 * @param ok whether the network accepted the credentials
 * @param authProblem true when the credentials themselves were refused (the channel then needs re-authorisation)
 * @param detail the account the credentials belong to when ok; otherwise the network's reason
 * @param maxCharacters a text limit specific to this account or instance (Mastodon), or 0 for the network's default
 */
public record Verification(boolean ok, boolean authProblem, String detail, int maxCharacters) {

    public static Verification ok(String account) {
        return new Verification(true, false, account, 0);
    }

    public static Verification ok(String account, int maxCharacters) {
        return new Verification(true, false, account, maxCharacters);
    }

    public static Verification refused(String reason) {
        return new Verification(false, true, reason, 0);
    }

    public static Verification failed(String reason) {
        return new Verification(false, false, reason, 0);
    }
}
