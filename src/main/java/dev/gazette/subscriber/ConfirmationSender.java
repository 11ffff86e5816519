package dev.gazette.subscriber;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gazette.common.Emails;
import io.quarkus.logging.Log;

/**
 * Sends the confirmation mail of a double opt-in when one is due, and keeps track of the ones that could not be sent:
 * each failure schedules a retry ({@link ConfirmationRetryJob}) after a back-off that starts at {@link #FIRST_BACKOFF}
 * and doubles up to {@link #MAX_BACKOFF}, until {@code gazette.subscribers.confirmation-retries} retries have failed
 * too. The reader's answer never depends on it: the subscription is kept either way.
 */
@ApplicationScoped
public class ConfirmationSender {

    /** The wait before the first retry. */
    static final Duration FIRST_BACKOFF = Duration.ofMinutes(1);
    /** The longest wait between two attempts. */
    static final Duration MAX_BACKOFF = Duration.ofHours(1);

    /** What an attempt did. */
    public enum Outcome {
        /** The mail left. */
        SENT,
        /** The mail could not be sent; a retry is scheduled unless retrying is off. */
        FAILED,
        /** The mail could not be sent and that was the last retry. */
        ABANDONED,
        /** No mail was due: the limit of mails is reached, or (for a request) the last one is too recent. */
        NOT_DUE
    }

    private final SubscribersConfig config;
    private final SubscriberMails mails;
    private final SubscriberLinks links;

    ConfirmationSender(SubscribersConfig config, SubscriberMails mails, SubscriberLinks links) {
        this.config = config;
        this.mails = mails;
        this.links = links;
    }

    /**
     * Sends the confirmation mail to a reader who asked to subscribe, unless the limit of mails is reached or the last
     * one left less than {@code gazette.subscribers.confirmation-resend-interval} ago. The caller holds the reader's row
     * locked in its transaction.
     */
    Outcome sendIfDue(Subscriber s, Instant now) {
        if (s.confirmationSentAt != null && now.isBefore(s.confirmationSentAt.plus(config.confirmationResendInterval()))) {
            return Outcome.NOT_DUE;
        }
        return send(s, now, false);
    }

    /**
     * Tries again the confirmation mail that could not be sent to this reader. The resend interval does not apply (the
     * failed mail never arrived); the limit of mails does, and when it is reached there is nothing left to retry. The
     * caller holds the reader's row locked in its transaction.
     */
    Outcome retry(Subscriber s, Instant now) {
        return send(s, now, true);
    }

    private Outcome send(Subscriber s, Instant now, boolean retry) {
        if (s.confirmationCount >= config.maxConfirmationMails()) {
            if (retry) {
                s.confirmationRetryAt = null;
            }
            return Outcome.NOT_DUE;
        }
        s.confirmationCount++;
        s.confirmationSentAt = now;
        try {
            mails.sendConfirmation(s.email, s.name, links.confirmUrl(s.id, s.confirmationCount));
        } catch (RuntimeException e) {
            return failed(s, now, e);
        }
        String detail = "#" + s.confirmationCount + (retry ? ", retry " + s.confirmationFailures : "");
        s.confirmationFailures = 0;
        s.confirmationRetryAt = null;
        SubscriberEvent.record(s.id, "CONFIRMATION_SENT", detail, now);
        return Outcome.SENT;
    }

    private Outcome failed(Subscriber s, Instant now, RuntimeException e) {
        // The subscription is kept and the answer stays the same; the mail did not count, so asking again works.
        String to = Emails.mask(s.email);
        String reason = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName()
                : e.getMessage().replaceAll("\\p{Cc}+", " ").strip();
        Log.warnf("The confirmation mail to %s could not be sent: %s", to, masked(reason, s.email, to));
        Log.debugf(e, "The confirmation mail to %s could not be sent", to);
        s.confirmationCount--;
        s.confirmationSentAt = null;
        s.confirmationFailures++;
        SubscriberEvent.record(s.id, "CONFIRMATION_FAILED", reason, now);
        int retries = config.confirmationRetries();
        if (retries <= 0) {
            s.confirmationRetryAt = null;
            return Outcome.FAILED;
        }
        if (s.confirmationFailures > retries) {
            s.confirmationRetryAt = null;
            Log.warnf("Gave up the confirmation mail to %s after %d failed attempts; the reader may subscribe again", to,
                    s.confirmationFailures);
            SubscriberEvent.record(s.id, "CONFIRMATION_ABANDONED", "after " + s.confirmationFailures + " failed attempts", now);
            return Outcome.ABANDONED;
        }
        s.confirmationRetryAt = now.plus(backoff(s.confirmationFailures));
        Log.debugf("The confirmation mail to %s is tried again at %s", to, s.confirmationRetryAt);
        return Outcome.FAILED;
    }

    /** The wait after this many failures in a row: 1 minute after the first, doubling, at most an hour. */
    static Duration backoff(int failures) {
        int doublings = Math.min(Math.max(failures - 1, 0), 6); // 2^6 minutes is already past the cap
        Duration wait = FIRST_BACKOFF.multipliedBy(1L << doublings);
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }

    /** An SMTP reply may quote the recipient: the log gets the masked address instead. */
    private static String masked(String text, String address, String mask) {
        return Pattern.compile(Pattern.quote(address), Pattern.CASE_INSENSITIVE).matcher(text)
                .replaceAll(Matcher.quoteReplacement(mask));
    }
}
