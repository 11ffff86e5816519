package dev.gazette.mail;

import java.io.IOException;

/**
 * The SMTP server refused a command with a 4xx or 5xx reply; the message is the reply, code first, in the server's
 * words. The connection it came on is still usable.
 */
public final class SmtpRefusal extends IOException {

    private final int code;

    SmtpRefusal(int code, String reply) {
        super(reply, null);
        this.code = code;
    }

    /** The reply code, 400 to 599. */
    public int code() {
        return code;
    }
}
