package dev.gazette.mail;

import java.io.IOException;

/**
 * The SMTP server could not be reached, or did not finish an exchange within {@code gazette.mail.send-timeout}: the
 * message was not sent, and another attempt later may succeed. These are the failures an operator must hear about
 * (see {@link SendFailures}), since nothing else shows a relay that is down or stuck.
 */
public final class SmtpUnavailable extends IOException {

    /** Why. */
    public enum Reason {
        /** No TCP connection, or no SMTP session on it (greeting, STARTTLS, login). */
        CONNECT,
        /** The server stopped answering in the middle of an exchange. */
        TIMEOUT;

        /** The metric's label. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Reason reason;

    SmtpUnavailable(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
