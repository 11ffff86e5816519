package dev.gazette.mail;

import java.io.IOException;

/**
 * The SMTP server refused a command with a 4xx or 5xx reply; the message is the reply, code first, in the server's
 * words. The connection it came on is still usable unless the code is 421.
 */
public final class SmtpRefusal extends IOException {

    /** What the server refused. */
    public enum Step {
        /** The greeting, STARTTLS or the login: nothing to do with the message. */
        SESSION,
        /** MAIL FROM: the envelope sender, ours. */
        SENDER,
        /** RCPT TO: the reader's address. */
        RECIPIENT,
        /** DATA, or the content after it. */
        CONTENT
    }

    private final int code;
    private final Step step;

    SmtpRefusal(int code, String reply, Step step) {
        super(reply, null);
        this.code = code;
        this.step = step;
    }

    /** The reply code, 400 to 599. */
    public int code() {
        return code;
    }

    public Step step() {
        return step;
    }
}
