package dev.gazette.digest;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gazette.common.SignedTokens;

/**
 * Short-lived signed confirmations of what an editor was shown before sending or cancelling an issue. A send
 * confirmation binds the newsletter, the number the issue will get, the recipient count and the subject; a cancel
 * confirmation binds the issue, its recipient count and its subject. A form field saying "confirmed" is no
 * confirmation: without a token that matches what would happen now, nothing is sent or cancelled.
 */
@ApplicationScoped
public class SendConfirmations {

    /** How long an editor has between seeing the confirmation and answering it. */
    public static final Duration LIFETIME = Duration.ofMinutes(10);

    private static final String SEND = "issue-send";
    private static final String CANCEL = "issue-cancel";

    private final SignedTokens tokens;
    private final Clock clock;

    SendConfirmations(SignedTokens tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    /** What checking a confirmation found. */
    public enum Check {
        /** It confirms exactly this. */
        VALID,
        /** It confirmed exactly this, but too long ago. */
        EXPIRED,
        /** It is missing, forged, or confirmed something else (another count, subject or issue). */
        INVALID
    }

    /** A token confirming that {@code audience} may be sent now. */
    public String forSend(IssueService.Audience audience) {
        return tokens.sign(SEND, audience.newsletterId(), audience.recipients(), clock.instant().plus(LIFETIME),
                audience.nextNumber() + "\n" + audience.subject());
    }

    /** Whether {@code token} confirms sending issue {@code number} of the newsletter to {@code recipients} readers with {@code subject}. */
    public Check checkSend(String token, long newsletterId, int number, long recipients, String subject) {
        return check(tokens.check(token, SEND, number + "\n" + subject), newsletterId, recipients);
    }

    /** A token confirming that issue {@code issue}, going to {@code recipients} readers, may be cancelled. */
    public String forCancel(DigestIssue issue, long recipients) {
        return tokens.sign(CANCEL, issue.id, recipients, clock.instant().plus(LIFETIME), issue.subject);
    }

    /** Whether {@code token} confirms cancelling {@code issue}, going to {@code recipients} readers. */
    public Check checkCancel(String token, DigestIssue issue, long recipients) {
        return check(tokens.check(token, CANCEL, issue.subject), issue.id, recipients);
    }

    private static Check check(SignedTokens.Check check, long subject, long recipients) {
        if (check instanceof SignedTokens.Valid valid && valid.subject() == subject && valid.nonce() == recipients) {
            return Check.VALID;
        }
        if (check instanceof SignedTokens.Expired expired && expired.subject() == subject) {
            return Check.EXPIRED;
        }
        return Check.INVALID;
    }
}
