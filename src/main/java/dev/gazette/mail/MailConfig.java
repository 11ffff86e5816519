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
     * Send mail through Gazette's own SMTP client (each message written in one piece; digests over a pool of
     * {@code quarkus.mailer.max-pool-size} connections, single messages over two more) rather than through Quarkus
     * Mailer. It is used whenever the mailer configuration needs nothing it lacks: XOAUTH2, a client certificate or a
     * custom trust store keep mail on the mailer.
     */
    @WithDefault("true")
    boolean bulkSmtp();

    /**
     * Shared secret of the bounce, complaint and inbound-mail hooks under /hooks/mail, sent as the password of HTTP Basic
     * authentication (any user name) or in an X-Gazette-Secret header. The hooks answer 503 until it is set.
     */
    Optional<String> webhookSecret();

    /** DKIM signing by Gazette's own SMTP client; off unless a key is set. */
    Dkim dkim();

    /** DKIM (RFC 6376): rsa-sha256, relaxed/relaxed, the list headers signed. */
    interface Dkim {

        /** The private key itself: PEM (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY) or the bare Base64 between those lines. */
        Optional<String> privateKey();

        /** A file holding the private key, in any form {@link #privateKey()} takes. */
        Optional<String> privateKeyPath();

        /** The signing domain ({@code d=}): the From addresses' domain or a parent of it. Required with a key. */
        Optional<String> domain();

        /** The selector ({@code s=}): the public key is published at {@code <selector>._domainkey.<domain>}. */
        @WithDefault("gazette")
        String selector();
    }

    /** The ways out. */
    enum Transport {
        AUTO,
        SMTP,
        OUTBOX
    }
}
