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
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;

import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.eclipse.angus.mail.smtp.SMTPTransport;

import io.quarkus.logging.Log;
import io.quarkus.mailer.Mail;
import io.vertx.ext.mail.mailencoder.EmailAddress;

/**
 * Sends bulk mail (digests) over a fixed set of SMTP connections, each owned by one thread, writing every message
 * through a buffered stream: a 10 KB message leaves in a couple of TCP segments. The Vert.x client behind Quarkus
 * Mailer writes and flushes each body line on its own (one segment per line), which made it, not the database or the
 * rendering, the limit of a digest issue. Messages are built and encoded with Angus Mail (Jakarta Mail) by the thread
 * that sends them, straight into the socket's buffer, and the SMTP dialogue (STARTTLS, AUTH, MAIL, RCPT, DATA) is
 * Angus Mail's {@link SMTPTransport}.
 */
final class BulkSmtpWriter implements AutoCloseable {

    /** A connection unused this long is checked with NOOP before the next message: servers close idle ones. */
    private static final long IDLE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Session session;
    private final URLName server;
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

    /**
     * Sends the message on the next free connection; completes when the server accepted it. The MIME message is
     * built and encoded by the sending thread, while it writes to the socket: no encoded copy is kept in memory.
     */
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
        SMTPMessage message = mime(session, mail);
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
     * The message as MIME: text and HTML as multipart/alternative (or the one given), UTF-8, with the transfer
     * encoding Angus chooses from the content (7bit, quoted-printable or base64), header values folded and, where
     * not ASCII, encoded (RFC 2047). A Message-ID set by the caller is kept.
     */
    static SMTPMessage mime(Session session, Mail mail) throws MessagingException {
        SMTPMessage message = new SMTPMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                if (getHeader("Message-ID") == null) {
                    super.updateMessageID();
                }
            }
        };
        message.setFrom(new InternetAddress(mail.getFrom()));
        message.setRecipients(jakarta.mail.Message.RecipientType.TO, addresses(mail.getTo()));
        if (mail.getCc() != null && !mail.getCc().isEmpty()) {
            message.setRecipients(jakarta.mail.Message.RecipientType.CC, addresses(mail.getCc()));
        }
        if (mail.getReplyTo() != null && !mail.getReplyTo().isEmpty()) {
            message.setReplyTo(InternetAddress.parse(mail.getReplyTo()));
        }
        message.setSubject(mail.getSubject() == null ? "" : mail.getSubject(), "UTF-8");
        message.setSentDate(new java.util.Date());
        for (java.util.Map.Entry<String, List<String>> header : mail.getHeaders().entrySet()) {
            String name = header.getKey();
            for (String value : header.getValue()) {
                String ascii = isAscii(value) ? value : encodeText(value);
                message.addHeader(name, MimeUtility.fold(name.length() + 2, ascii));
            }
        }
        String text = mail.getText();
        String html = mail.getHtml();
        if (text != null && html != null) {
            MimeMultipart alternative = new MimeMultipart("alternative");
            MimeBodyPart plain = new MimeBodyPart();
            plain.setText(text, "UTF-8");
            MimeBodyPart rich = new MimeBodyPart();
            rich.setText(html, "UTF-8", "html");
            alternative.addBodyPart(plain);
            alternative.addBodyPart(rich);
            message.setContent(alternative);
        } else if (html != null) {
            message.setText(html, "UTF-8", "html");
        } else {
            message.setText(text == null ? "" : text, "UTF-8");
        }
        message.saveChanges();
        return message;
    }

    private static boolean isAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 126 || c < 32 && c != '\t') {
                return false;
            }
        }
        return true;
    }

    /**
     * RFC 2047 for a header value with non-ASCII text: each stretch of words from the first to the last non-ASCII one
     * becomes one encoded-word, while anything in angle brackets (a List-Id, an address, a URL) stays as it is.
     */
    static String encodeText(String value) {
        String[] tokens = value.replaceAll("[\\r\\n]+", " ").split(" ", -1);
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < tokens.length) {
            if (tokens[i].indexOf('<') >= 0 || tokens[i].indexOf('>') >= 0) {
                append(out, tokens[i++]);
                continue;
            }
            int end = i;
            while (end < tokens.length && tokens[end].indexOf('<') < 0 && tokens[end].indexOf('>') < 0) {
                end++;
            }
            int first = -1;
            int last = -1;
            for (int k = i; k < end; k++) {
                if (!isAscii(tokens[k])) {
                    first = first < 0 ? k : first;
                    last = k;
                }
            }
            for (int k = i; k < end; k++) {
                if (k == first) {
                    try {
                        append(out, MimeUtility.encodeWord(String.join(" ", java.util.Arrays.copyOfRange(tokens, first, last + 1)), "UTF-8", "Q"));
                    } catch (java.io.UnsupportedEncodingException e) {
                        throw new IllegalStateException(e);
                    }
                    k = last;
                } else {
                    append(out, tokens[k]);
                }
            }
            i = end;
        }
        return out.toString();
    }

    private static void append(StringBuilder out, String token) {
        if (!out.isEmpty()) {
            out.append(' ');
        }
        out.append(token);
    }

    private static InternetAddress[] addresses(List<String> list) throws AddressException {
        List<InternetAddress> all = new ArrayList<>();
        for (String address : nonNull(list)) {
            all.add(new InternetAddress(address));
        }
        return all.toArray(new InternetAddress[0]);
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
                all.add(new InternetAddress(new EmailAddress(address).getEmail(), true));
            }
        }
        if (all.isEmpty()) {
            throw new AddressException("The message has no recipient");
        }
        return all.toArray(new Address[0]);
    }

    private static String envelopeFrom(Mail mail) {
        String bounce = mail.getBounceAddress();
        return new EmailAddress(bounce != null && !bounce.isBlank() ? bounce : mail.getFrom()).getEmail();
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
