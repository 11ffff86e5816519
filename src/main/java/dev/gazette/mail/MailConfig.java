package dev.gazette.mail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How outgoing mail leaves Gazette.
 */
@ConfigMapping(prefix = "gazette.mail")
public interface MailConfig {

    /** AUTO sends over SMTP when quarkus.mailer.host is set and writes to the outbox otherwise; SMTP or OUTBOX force one. */
    @WithDefault("auto")
    Transport transport();

    /** Directory of the file outbox; defaults to {@code <gazette.data.dir>/outbox}. */
    Optional<Path> outboxDir();

    /** Sender of transactional mail (confirmations, tests) when a message names none. */
    @WithDefault("Gazette <noreply@localhost>")
    String from();

    /** Longest wait for the SMTP server to accept a message sent without blocking (digests). */
    @WithDefault("30s")
    Duration sendTimeout();

    /**
     * Send digests through Gazette's bulk SMTP writer (each message written in one piece over a pool of
     * {@code quarkus.mailer.max-pool-size} connections) rather than through Quarkus Mailer. It is used only when the
     * mailer configuration needs nothing it lacks: DKIM signing, XOAUTH2 or a custom trust store keep digests on
     * the mailer.
     */
    @WithDefault("true")
    boolean bulkSmtp();

    /**
     * Shared secret of the bounce, complaint and inbound-mail hooks under /hooks/mail, sent as the password of HTTP Basic
     * authentication (any user name) or in an X-Gazette-Secret header. The hooks answer 503 until it is set.
     */
    Optional<String> webhookSecret();

    /** The ways out. */
    enum Transport {
        AUTO,
        SMTP,
        OUTBOX
    }
}
