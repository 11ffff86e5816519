package dev.gazette.mail;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import io.quarkus.logging.Log;
import io.quarkus.mailer.Mail;

/**
 * Sends bulk mail (digests) over a fixed set of SMTP connections, each owned by one thread. Each message is encoded
 * by {@link MimeEncoder} in that thread and goes out in two round trips: MAIL, RCPT and DATA together (PIPELINING),
 * then the content in one write and the final dot. The Vert.x client behind Quarkus Mailer writes and flushes each
 * body line on its own (one TCP segment per line), which made it, not the database or the rendering, the limit of a
 * digest issue; see {@link SmtpConnection} for the dialogue.
 * <p>
 * A watchdog closes any connection whose message has taken longer than the send timeout, which fails the blocked
 * read or write: a server that stops reading cannot hold a sending thread for ever.
 */
final class BulkSmtpWriter implements AutoCloseable {

    /** A connection unused this long is checked with NOOP before the next message: servers close idle ones. */
    private static final long IDLE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final SmtpSettings settings;
    private final MimeEncoder encoder;
    /** Signs each message as it is sent, or null. */
    private final DkimSigner dkim;
    private final long maxPerConnection;
    private final int size;
    private final ExecutorService workers;
    private final List<Connection> connections = new ArrayList<>();
    private final ThreadLocal<Connection> own = new ThreadLocal<>();
    private final Thread watchdog;
    private volatile boolean closed;

    /** One SMTP connection, used only by the thread that owns it. */
    private static final class Connection {
        volatile SmtpConnection smtp;
        /** A connection being opened, watched like a message in progress. */
        volatile SmtpConnection opening;
        /** When the message in progress started (nanoTime), 0 when idle; read by the watchdog. */
        volatile long busySince;
        /** Set by the watchdog when it closed the connection for taking too long. */
        volatile boolean timedOut;
        long sent;
        long lastUsed;
    }

    /**
     * @param settings         where and how to connect
     * @param connections      connections (and sending threads) at most
     * @param maxPerConnection messages before a connection is closed and opened again; 0 for no limit
     * @param dkim             signs every message, or null
     */
    BulkSmtpWriter(SmtpSettings settings, int connections, long maxPerConnection, DkimSigner dkim) {
        this.settings = settings;
        this.encoder = new MimeEncoder(settings.heloName());
        this.dkim = dkim;
        this.maxPerConnection = maxPerConnection;
        this.size = Math.max(1, connections);
        AtomicInteger count = new AtomicInteger();
        ThreadFactory threads = body -> {
            Thread thread = new Thread(body, "smtp-bulk-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        this.workers = Executors.newFixedThreadPool(size, threads);
        this.watchdog = new Thread(this::watch, "smtp-bulk-watchdog");
        this.watchdog.setDaemon(true);
        if (!settings.timeout().isZero() && !settings.timeout().isNegative()) {
            this.watchdog.start();
        }
    }

    /** The most connections (and sending threads) this writer opens. */
    int connections() {
        return size;
    }

    /** Sends the message on the next free connection; completes when the server accepted it. */
    CompletionStage<Void> send(Mail mail) {
        List<String> recipients;
        String envelopeFrom;
        try {
            if (mail.getAttachments() != null && !mail.getAttachments().isEmpty()) {
                throw new IllegalArgumentException("The bulk writer does not send attachments");
            }
            recipients = recipients(mail);
            envelopeFrom = envelopeFrom(mail);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            workers.execute(() -> {
                try {
                    deliver(mail, recipients, envelopeFrom);
                    done.complete(null);
                } catch (Throwable e) {
                    // Every outcome must arrive: the digest sender holds a slot until it does.
                    done.completeExceptionally(e);
                    if (e instanceof Error error) {
                        throw error;
                    }
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    private void deliver(Mail mail, List<String> recipients, String envelopeFrom) throws IOException {
        // Encoded and signed in the sending thread, so that both run on every core; signed over the bytes sent.
        Instant now = Instant.now();
        byte[] content = encoder.encode(mail, now);
        if (dkim != null) {
            content = dkim.sign(content, now);
        }
        Connection connection = connection();
        connection.busySince = System.nanoTime();
        try {
            connection.smtp.send(envelopeFrom, recipients, content);
        } catch (SmtpRefusal refused) {
            // The server refused this message; the connection is fine for the next one, unless it is closing (421).
            if (refused.code() == 421) {
                discard(connection);
            }
            throw refused;
        } catch (IOException | RuntimeException e) {
            discard(connection);
            // the watchdog closed it, or a read or write waited out the socket's own timeout (the same setting)
            if (connection.timedOut || e instanceof java.net.SocketTimeoutException) {
                throw new SmtpUnavailable(SmtpUnavailable.Reason.TIMEOUT, "The SMTP server " + settings.host() + ":"
                        + settings.port() + " did not finish the exchange within " + settings.timeout(), e);
            }
            throw e;
        } finally {
            connection.timedOut = false;
            connection.busySince = 0;
        }
        connection.lastUsed = System.nanoTime();
        if (maxPerConnection > 0 && ++connection.sent >= maxPerConnection) {
            discard(connection);
        }
    }

    /** This thread's connection, opened or re-opened as needed. */
    private Connection connection() throws IOException {
        Connection connection = own.get();
        if (connection == null) {
            connection = new Connection();
            own.set(connection);
            synchronized (connections) {
                connections.add(connection);
            }
        }
        if (connection.smtp != null && System.nanoTime() - connection.lastUsed > IDLE_CHECK_NANOS && !connection.smtp.alive()) {
            discard(connection);
        }
        if (connection.smtp == null) {
            connection.busySince = System.nanoTime();
            SmtpConnection opening = new SmtpConnection(settings);
            connection.opening = opening;
            try {
                opening.connect();
                connection.smtp = opening;
            } catch (IOException | RuntimeException e) {
                opening.abort();
                // A refused greeting, STARTTLS or login is about the session, not the message: worth a later retry.
                String where = settings.host() + ":" + settings.port();
                throw new SmtpUnavailable(SmtpUnavailable.Reason.CONNECT, connection.timedOut
                        ? "No SMTP session with " + where + " within " + settings.timeout()
                        : "Cannot open an SMTP session with " + where + ": " + e.getMessage(), e);
            } finally {
                connection.opening = null;
                connection.busySince = 0;
                connection.timedOut = false;
            }
            connection.sent = 0;
            connection.lastUsed = System.nanoTime();
        }
        return connection;
    }

    private static void discard(Connection connection) {
        SmtpConnection smtp = connection.smtp;
        connection.smtp = null;
        if (smtp != null) {
            smtp.close();
        }
    }

    /** Closes connections whose current message or connect has run past the send timeout. */
    private void watch() {
        long limit = settings.timeout().toNanos();
        while (!closed) {
            try {
                Thread.sleep(Math.max(100, Math.min(1000, settings.timeout().toMillis() / 4)));
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            List<Connection> all;
            synchronized (connections) {
                all = new ArrayList<>(connections);
            }
            for (Connection connection : all) {
                long since = connection.busySince;
                SmtpConnection smtp = connection.opening != null ? connection.opening : connection.smtp;
                if (since != 0 && now - since > limit && smtp != null) {
                    // the sending thread's read or write fails now; it reports the message (SendFailures)
                    Log.debugf("An SMTP exchange took longer than %s; closing its connection", settings.timeout());
                    connection.timedOut = true;
                    smtp.abort();
                }
            }
        }
    }

    private static List<String> recipients(Mail mail) {
        List<String> all = new ArrayList<>();
        for (List<String> list : List.of(nonNull(mail.getTo()), nonNull(mail.getCc()), nonNull(mail.getBcc()))) {
            for (String address : list) {
                all.add(checked(MimeEncoder.Address.parse(address).email()));
            }
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("The message has no recipient");
        }
        return all;
    }

    private static String envelopeFrom(Mail mail) {
        String bounce = mail.getBounceAddress();
        return checked(MimeEncoder.Address.parse(bounce != null && !bounce.isBlank() ? bounce : mail.getFrom()).email());
    }

    /** An address fit for MAIL FROM or RCPT TO: one local part, one domain, nothing that could end the command. */
    private static String checked(String email) {
        int at = email.lastIndexOf('@');
        boolean ok = at > 0 && at < email.length() - 1;
        for (int i = 0; ok && i < email.length(); i++) {
            char c = email.charAt(i);
            ok = c > 32 && c < 127 && c != '<' && c != '>' && c != ',';
        }
        if (!ok) {
            throw new IllegalArgumentException("Not an address to send to: " + email);
        }
        return email;
    }

    private static List<String> nonNull(List<String> list) {
        return list == null ? List.of() : list;
    }

    /** Sends QUIT on every connection once the messages queued so far are out. */
    @Override
    public void close() {
        workers.shutdown();
        try {
            workers.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
        closed = true;
        watchdog.interrupt();
        synchronized (connections) {
            for (Connection connection : connections) {
                SmtpConnection smtp = connection.smtp;
                if (connection.busySince != 0 && smtp != null) {
                    smtp.abort(); // still sending after the grace period: no QUIT in the middle of its data
                } else {
                    discard(connection);
                }
            }
        }
    }

    /**
     * The SMTP server and how to talk to it, from {@code quarkus.mailer.*}.
     *
     * @param startTls    DISABLED, OPTIONAL (when offered) or REQUIRED, as {@code quarkus.mailer.start-tls}
     * @param trustAll    accept any server certificate (tests, private relays); otherwise {@code tls}'s trust (or the
     *                    JDK's) and a host name check
     * @param username    null for no authentication
     * @param authMethods space-separated mechanisms to allow (PLAIN, LOGIN), or null for those the server offers
     * @param timeout     longest connect, and longest wait for any reply or write of a message; 0 for no limit
     * @param login       as {@code quarkus.mailer.login}: NONE (log in when the server offers it), REQUIRED (always),
     *                    XOAUTH2 (the password is an OAuth 2 access token)
     * @param tls         the TLS configuration named by {@code quarkus.mailer.tls-configuration-name} (trust store,
     *                    client certificate), or null for the JDK's defaults
     */
    record SmtpSettings(String host, int port, boolean implicitTls, String startTls, boolean trustAll, String username,
            String password, String authMethods, String heloName, Duration timeout, String login, SSLContext tls) {

        static SmtpSettings of(String host, int port, boolean implicitTls, String startTls, boolean trustAll, String username,
                String password, String authMethods, String heloName, Duration timeout) {
            return new SmtpSettings(host, port, implicitTls, startTls.toUpperCase(Locale.ROOT), trustAll, username,
                    username != null ? password : null, authMethods, heloName, timeout, "NONE", null);
        }

        /** With quarkus.mailer.login: REQUIRED logs in even when the server offers no authentication (and fails). */
        SmtpSettings withLogin(String login) {
            return new SmtpSettings(host, port, implicitTls, startTls, trustAll, username, password, authMethods, heloName,
                    timeout, login.toUpperCase(Locale.ROOT), tls);
        }

        /** With a TLS configuration of the Quarkus TLS registry. */
        SmtpSettings withTls(SSLContext context) {
            return new SmtpSettings(host, port, implicitTls, startTls, trustAll, username, password, authMethods, heloName,
                    timeout, login, context);
        }

        boolean loginRequired() {
            return "REQUIRED".equals(login) || "XOAUTH2".equals(login);
        }

        @Override
        public String toString() {
            return "SmtpSettings[" + host + ":" + port + (username != null ? ", user " + username : "") + "]";
        }
    }
}
