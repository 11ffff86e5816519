package dev.gazette.mail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.eclipse.angus.mail.smtp.SMTPTransport;

import io.quarkus.logging.Log;
import io.quarkus.mailer.Mail;

/**
 * Sends bulk mail (digests) over a fixed set of SMTP connections, each owned by one thread, writing every message
 * through a buffered stream: a 10 KB message leaves in a couple of TCP segments. The Vert.x client behind Quarkus
 * Mailer writes and flushes each body line on its own (one segment per line), which made it, not the database or the
 * rendering, the limit of a digest issue. Messages are encoded by {@link MimeEncoder} in the thread that sends them;
 * the SMTP dialogue (STARTTLS, AUTH, MAIL, RCPT, DATA) is Angus Mail's {@link SMTPTransport}.
 */
final class BulkSmtpWriter implements AutoCloseable {

    /** A connection unused this long is checked with NOOP before the next message: servers close idle ones. */
    private static final long IDLE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Session session;
    private final URLName server;
    private final MimeEncoder encoder;
    private final long maxPerConnection;
    private final int size;
    private final ExecutorService workers;
    private final List<Connection> connections = new ArrayList<>();
    private final ThreadLocal<Connection> own = new ThreadLocal<>();

    /** One SMTP connection, used only by the thread that owns it. */
    private static final class Connection {
        SMTPTransport transport;
        long sent;
        long lastUsed;
    }

    /**
     * @param settings         where and how to connect
     * @param connections      connections (and sending threads) at most
     * @param maxPerConnection messages before a connection is closed and opened again; 0 for no limit
     */
    BulkSmtpWriter(SmtpSettings settings, int connections, long maxPerConnection) {
        this.session = Session.getInstance(settings.properties());
        this.server = new URLName("smtp", settings.host(), settings.port(), null, settings.username(), settings.password());
        this.encoder = new MimeEncoder(settings.heloName());
        this.maxPerConnection = maxPerConnection;
        this.size = Math.max(1, connections);
        AtomicInteger count = new AtomicInteger();
        ThreadFactory threads = body -> {
            Thread thread = new Thread(body, "smtp-bulk-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        this.workers = Executors.newFixedThreadPool(size, threads);
    }

    /** The most connections (and sending threads) this writer opens. */
    int connections() {
        return size;
    }

    /** Sends the message on the next free connection; completes when the server accepted it. */
    CompletionStage<Void> send(Mail mail) {
        Address[] recipients;
        String envelopeFrom;
        try {
            if (mail.getAttachments() != null && !mail.getAttachments().isEmpty()) {
                throw new IllegalArgumentException("The bulk writer does not send attachments");
            }
            recipients = recipients(mail);
            envelopeFrom = envelopeFrom(mail);
        } catch (RuntimeException | AddressException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            workers.execute(() -> {
                try {
                    deliver(mail, recipients, envelopeFrom);
                    done.complete(null);
                } catch (Exception e) {
                    done.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    private void deliver(Mail mail, Address[] recipients, String envelopeFrom) throws MessagingException {
        // Encoded in the sending thread, so that encoding runs on every core.
        byte[] encoded = encoder.encode(mail, java.time.Instant.now());
        SMTPMessage message = new Encoded(session, encoded);
        message.setEnvelopeFrom(envelopeFrom);
        Connection connection = connection();
        try {
            connection.transport.sendMessage(message, recipients);
        } catch (MessagingException e) {
            // A refused recipient or message leaves the connection usable; anything else (lost connection, timeout,
            // 421 closing) gets a new one next time.
            if (!connection.transport.isConnected() || !(e instanceof jakarta.mail.SendFailedException)) {
                discard(connection);
            }
            throw e;
        }
        connection.lastUsed = System.nanoTime();
        if (maxPerConnection > 0 && ++connection.sent >= maxPerConnection) {
            discard(connection);
        }
    }

    /**
     * A message already encoded (ASCII, CRLF line ends), handed to the socket's buffer in one write: Angus's own
     * encoders write a byte at a time into a BufferedOutputStream, which takes a lock for each.
     */
    private static final class Encoded extends SMTPMessage {
        private final byte[] bytes;

        Encoded(Session session, byte[] bytes) {
            super(session);
            this.bytes = bytes;
        }

        @Override
        public void writeTo(java.io.OutputStream out, String[] ignoreList) throws java.io.IOException {
            out.write(bytes);
        }

        @Override
        public void writeTo(java.io.OutputStream out) throws java.io.IOException {
            out.write(bytes);
        }
    }

    /** This thread's connection, opened or re-opened as needed. */
    private Connection connection() throws MessagingException {
        Connection connection = own.get();
        if (connection == null) {
            connection = new Connection();
            own.set(connection);
            synchronized (connections) {
                connections.add(connection);
            }
        }
        if (connection.transport != null && System.nanoTime() - connection.lastUsed > IDLE_CHECK_NANOS
                && !connection.transport.isConnected()) {
            discard(connection);
        }
        if (connection.transport == null) {
            SMTPTransport transport = new SMTPTransport(session, server);
            transport.connect();
            connection.transport = transport;
            connection.sent = 0;
            connection.lastUsed = System.nanoTime();
        }
        return connection;
    }

    private static void discard(Connection connection) {
        SMTPTransport transport = connection.transport;
        connection.transport = null;
        if (transport != null) {
            try {
                transport.close();
            } catch (MessagingException | RuntimeException e) {
                Log.debugf("Closing an SMTP connection: %s", e.getMessage());
            }
        }
    }

    private static Address[] recipients(Mail mail) throws AddressException {
        List<Address> all = new ArrayList<>();
        for (List<String> list : List.of(nonNull(mail.getTo()), nonNull(mail.getCc()), nonNull(mail.getBcc()))) {
            for (String address : list) {
                all.add(new InternetAddress(MimeEncoder.Address.parse(address).email(), true));
            }
        }
        if (all.isEmpty()) {
            throw new AddressException("The message has no recipient");
        }
        return all.toArray(new Address[0]);
    }

    private static String envelopeFrom(Mail mail) {
        String bounce = mail.getBounceAddress();
        return MimeEncoder.Address.parse(bounce != null && !bounce.isBlank() ? bounce : mail.getFrom()).email();
    }

    private static List<String> nonNull(List<String> list) {
        return list == null ? List.of() : list;
    }

    /** Sends QUIT on every connection once the messages queued so far are out. */
    @Override
    public void close() {
        workers.shutdown();
        try {
            workers.awaitTermination(Duration.ofSeconds(15).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (connections) {
            connections.forEach(BulkSmtpWriter::discard);
        }
    }

    /** The SMTP server and session settings, read from {@code quarkus.mailer.*}. */
    record SmtpSettings(String host, int port, String username, String password, String heloName, Properties properties) {

        /**
         * @param startTls  DISABLED, OPTIONAL (when offered) or REQUIRED, as {@code quarkus.mailer.start-tls}
         * @param trustAll  accept any server certificate (tests, private relays)
         * @param username  null for no authentication
         * @param authMethods space-separated SASL mechanisms to allow, or null for all the server offers
         */
        static SmtpSettings of(String host, int port, boolean implicitTls, String startTls, boolean trustAll, String username,
                String password, String authMethods, String heloName, Duration timeout) {
            Properties props = new Properties();
            String tls = startTls.toUpperCase(java.util.Locale.ROOT);
            props.setProperty("mail.smtp.ssl.enable", String.valueOf(implicitTls));
            props.setProperty("mail.smtp.starttls.enable", String.valueOf(!"DISABLED".equals(tls)));
            props.setProperty("mail.smtp.starttls.required", String.valueOf("REQUIRED".equals(tls)));
            if (trustAll) {
                props.setProperty("mail.smtp.ssl.trust", "*");
                props.setProperty("mail.smtp.ssl.checkserveridentity", "false");
            } else {
                props.setProperty("mail.smtp.ssl.checkserveridentity", "true");
            }
            props.setProperty("mail.smtp.auth", String.valueOf(username != null));
            if (authMethods != null && !authMethods.isBlank()) {
                props.setProperty("mail.smtp.auth.mechanisms", authMethods);
            }
            // Without TCP_NODELAY the small ".<CRLF>" that ends each message waits for the ACK of the body (Nagle),
            // which the server delays: 40 ms per message per connection.
            props.put("mail.smtp.socketFactory", NoDelaySockets.INSTANCE);
            props.setProperty("mail.smtp.socketFactory.fallback", "false");
            String millis = String.valueOf(timeout.toMillis());
            props.setProperty("mail.smtp.localhost", heloName);
            props.setProperty("mail.smtp.connectiontimeout", millis);
            props.setProperty("mail.smtp.timeout", millis);
            props.setProperty("mail.smtp.writetimeout", millis);
            // QUIT is sent, its answer not awaited.
            props.setProperty("mail.smtp.quitwait", "false");
            return new SmtpSettings(host, port, username, username != null ? password : null, heloName, props);
        }

        @Override
        public String toString() {
            return "SmtpSettings[" + host + ":" + port + (username != null ? ", user " + username : "") + "]";
        }
    }

    /** Plain sockets with TCP_NODELAY; TLS (implicit or STARTTLS) is layered on them by Angus Mail. */
    static final class NoDelaySockets extends javax.net.SocketFactory {

        static final NoDelaySockets INSTANCE = new NoDelaySockets();

        @Override
        public java.net.Socket createSocket() throws java.io.IOException {
            java.net.Socket socket = new java.net.Socket();
            socket.setTcpNoDelay(true);
            return socket;
        }

        @Override
        public java.net.Socket createSocket(String host, int port) throws java.io.IOException {
            return connected(new java.net.InetSocketAddress(host, port));
        }

        @Override
        public java.net.Socket createSocket(String host, int port, java.net.InetAddress localHost, int localPort) throws java.io.IOException {
            java.net.Socket socket = createSocket();
            socket.bind(new java.net.InetSocketAddress(localHost, localPort));
            socket.connect(new java.net.InetSocketAddress(host, port));
            return socket;
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress host, int port) throws java.io.IOException {
            return connected(new java.net.InetSocketAddress(host, port));
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress address, int port, java.net.InetAddress localAddress, int localPort)
                throws java.io.IOException {
            java.net.Socket socket = createSocket();
            socket.bind(new java.net.InetSocketAddress(localAddress, localPort));
            socket.connect(new java.net.InetSocketAddress(address, port));
            return socket;
        }

        private java.net.Socket connected(java.net.InetSocketAddress address) throws java.io.IOException {
            java.net.Socket socket = createSocket();
            socket.connect(address);
            return socket;
        }
    }
}
