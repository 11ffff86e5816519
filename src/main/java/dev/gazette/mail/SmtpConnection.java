package dev.gazette.mail;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * One SMTP client connection (RFC 5321) for bulk mail: EHLO, STARTTLS or TLS from the first byte, AUTH PLAIN or
 * LOGIN, then transactions whose MAIL, RCPT and DATA commands go out together when the server offers PIPELINING
 * (RFC 2920), so that a message costs two round trips, and whose content is written in one piece. Used by one thread
 * at a time; {@link #abort()} may be called from another to unblock it.
 */
final class SmtpConnection implements AutoCloseable {

    private record Reply(int code, String text) {
        boolean positive() {
            return code >= 200 && code < 400;
        }
    }

    private final BulkSmtpWriter.SmtpSettings settings;
    private Socket socket;
    /** The TCP socket under any TLS: closing it never waits for a lock a blocked writer holds (SSLSocket.close does). */
    private volatile Socket raw;
    private InputStream in;
    /** Replies read from the socket and not yet parsed: in[inPos, inLimit). */
    private final byte[] inBuffer = new byte[4096];
    private int inPos;
    private int inLimit;
    private OutputStream out;
    private boolean pipelining;
    private final Set<String> auth = new HashSet<>();
    private boolean startTlsOffered;
    private final byte[] line = new byte[1024];

    SmtpConnection(BulkSmtpWriter.SmtpSettings settings) {
        this.settings = settings;
    }

    /** Connects, greets, secures and authenticates as configured; {@link #abort()} it if this fails. */
    void connect() throws IOException {
        int timeout = (int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis());
        Socket plain = new Socket();
        plain.setTcpNoDelay(true);
        plain.connect(new InetSocketAddress(settings.host(), settings.port()), timeout);
        plain.setSoTimeout(timeout);
        raw = plain;
        socket = plain;
        if (settings.implicitTls()) {
            socket = tls(plain);
        }
        streams();
        expect(read(), "greeting");
        ehlo();
        if ("REQUIRED".equals(settings.startTls()) && !settings.implicitTls() && !startTlsOffered) {
            throw new IOException("The SMTP server does not offer STARTTLS, which quarkus.mailer.start-tls=REQUIRED demands");
        }
        if (!settings.implicitTls() && startTlsOffered && !"DISABLED".equals(settings.startTls())) {
            expect(ask("STARTTLS"), "STARTTLS");
            socket = tls(socket);
            streams();
            ehlo();
        }
        // As Quarkus Mailer with quarkus.mailer.login=NONE: log in when the server offers it (a relay that trusts
        // our address offers nothing), and only REQUIRED insists.
        if (settings.username() != null && (!auth.isEmpty() || settings.loginRequired())) {
            authenticate();
        }
    }

    private void streams() throws IOException {
        in = socket.getInputStream();
        // Anything read before STARTTLS is dropped with the plain stream (RFC 3207: nothing may follow its 220).
        inPos = 0;
        inLimit = 0;
        out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    }

    private SSLSocket tls(Socket plain) throws IOException {
        SSLSocketFactory factory;
        if (settings.trustAll()) {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] { new TrustAll() }, new SecureRandom());
                factory = context.getSocketFactory();
            } catch (GeneralSecurityException e) {
                throw new IOException("Cannot set up TLS", e);
            }
        } else if (settings.tls() != null) {
            factory = settings.tls().getSocketFactory();
        } else {
            factory = (SSLSocketFactory) SSLSocketFactory.getDefault();
        }
        SSLSocket tls = (SSLSocket) factory.createSocket(plain, settings.host(), settings.port(), true);
        if (!settings.trustAll()) {
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
        }
        tls.startHandshake();
        return tls;
    }

    private void ehlo() throws IOException {
        // What the server offered before (before STARTTLS) no longer holds (RFC 3207).
        pipelining = false;
        startTlsOffered = false;
        auth.clear();
        Reply reply = ask("EHLO " + settings.heloName());
        if (!reply.positive()) {
            expect(ask("HELO " + settings.heloName()), "HELO");
            return;
        }
        for (String capability : reply.text().split("\n")) {
            String upper = capability.strip().toUpperCase(Locale.ROOT);
            if (upper.equals("PIPELINING")) {
                pipelining = true;
            } else if (upper.equals("STARTTLS")) {
                startTlsOffered = true;
            } else if (upper.startsWith("AUTH ") || upper.startsWith("AUTH=")) {
                for (String mechanism : upper.substring(5).split(" ")) {
                    auth.add(mechanism.strip());
                }
            }
        }
    }

    private void authenticate() throws IOException {
        Set<String> allowed = new HashSet<>(auth);
        if (settings.authMethods() != null && !settings.authMethods().isBlank()) {
            Set<String> wanted = new HashSet<>(List.of(settings.authMethods().toUpperCase(Locale.ROOT).split("[ ,]+")));
            allowed.retainAll(wanted);
        }
        String user = settings.username();
        String password = settings.password() == null ? "" : settings.password();
        if ("XOAUTH2".equals(settings.login())) {
            // RFC 7628 style bearer token, as Gmail and Microsoft 365 take it: user, then the access token
            Reply reply = ask("AUTH XOAUTH2 " + base64("user=" + user + "\u0001auth=Bearer " + password + "\u0001\u0001"));
            if (reply.code() == 334) {
                // the server's error details (Base64 JSON) come first; an empty line asks for the final reply
                reply = ask("");
            }
            expect(reply, "AUTH XOAUTH2");
        } else if (allowed.contains("PLAIN")) {
            expect(ask("AUTH PLAIN " + base64("\0" + user + "\0" + password)), "AUTH PLAIN");
        } else if (allowed.contains("LOGIN")) {
            expect(ask("AUTH LOGIN"), "AUTH LOGIN");
            expect(ask(base64(user)), "AUTH LOGIN");
            expect(ask(base64(password)), "AUTH LOGIN");
        } else {
            throw new IOException("The SMTP server offers no authentication Gazette's SMTP client speaks (PLAIN, LOGIN, XOAUTH2): "
                    + (auth.isEmpty() ? "none" : String.join(" ", auth)));
        }
    }

    /**
     * Sends one message: MAIL, RCPT and DATA in one write when the server pipelines (one recipient), then the
     * content (CRLF line ends; dots at the start of a line are doubled here) and the final dot.
     *
     * @throws SmtpRefusal when the server refuses the sender, the recipient or the message; the connection stays usable
     * @throws IOException when the connection failed; it is not usable any more
     */
    void send(String from, List<String> recipients, byte[] content) throws IOException {
        if (inPos < inLimit) {
            // Replies nobody asked for would be taken for this message's: start again on a new connection.
            throw new IOException("The SMTP server sent data out of turn");
        }
        boolean together = pipelining && recipients.size() == 1;
        command("MAIL FROM:<" + from + ">");
        if (!together) {
            flush();
            fail(read(), true, SmtpRefusal.Step.SENDER);
        }
        for (String recipient : recipients) {
            command("RCPT TO:<" + recipient + ">");
            if (!together) {
                flush();
                Reply reply = read();
                if (!reply.positive()) {
                    reset();
                    throw new SmtpRefusal(reply.code(), reply.text(), SmtpRefusal.Step.RECIPIENT);
                }
            }
        }
        command("DATA");
        flush();
        if (together) {
            Reply mail = read();
            Reply recipient = read();
            Reply data = read();
            if (!mail.positive() || !recipient.positive()) {
                if (data.code() == 354) {
                    // A server that took DATA despite refusing the envelope gets an empty message for nobody.
                    out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
                    flush();
                    read();
                }
                reset();
                Reply refused = mail.positive() ? recipient : mail;
                throw new SmtpRefusal(refused.code(), refused.text(),
                        mail.positive() ? SmtpRefusal.Step.RECIPIENT : SmtpRefusal.Step.SENDER);
            }
            if (data.code() != 354) {
                reset();
                throw new SmtpRefusal(data.code(), data.text(), SmtpRefusal.Step.CONTENT);
            }
        } else {
            Reply data = read();
            if (data.code() != 354) {
                reset();
                throw new SmtpRefusal(data.code(), data.text(), SmtpRefusal.Step.CONTENT);
            }
        }
        writeContent(content);
        out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
        flush();
        fail(read(), false, SmtpRefusal.Step.CONTENT);
    }

    private void writeContent(byte[] content) throws IOException {
        int start = 0;
        int n = content.length;
        for (int i = 0; i < n; i++) {
            if (content[i] == '.' && (i == 0 || content[i - 1] == '\n')) {
                out.write(content, start, i - start);
                out.write('.');
                start = i;
            }
        }
        out.write(content, start, n - start);
        if (n < 2 || content[n - 2] != '\r' || content[n - 1] != '\n') {
            out.write('\r');
            out.write('\n');
        }
    }

    private void fail(Reply reply, boolean resetFirst, SmtpRefusal.Step step) throws IOException {
        if (!reply.positive()) {
            if (resetFirst) {
                reset();
            }
            throw new SmtpRefusal(reply.code(), reply.text(), step);
        }
    }

    /** Ends a refused transaction so that the connection can take the next one. */
    private void reset() throws IOException {
        command("RSET");
        flush();
        read();
    }

    /** True when the connection answers a NOOP. */
    boolean alive() {
        try {
            command("NOOP");
            flush();
            return read().positive();
        } catch (IOException e) {
            return false;
        }
    }

    private void command(String text) throws IOException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 32 || c > 126) {
                throw new IllegalArgumentException("Refusing to send an SMTP command with a control or non-ASCII character");
            }
        }
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.write('\r');
        out.write('\n');
    }

    /** Sends one command and reads its reply. */
    private Reply ask(String text) throws IOException {
        command(text);
        flush();
        return read();
    }

    private void flush() throws IOException {
        out.flush();
    }

    private static void expect(Reply reply, String step) throws IOException {
        if (!reply.positive()) {
            // A refusal's text starts with its code already.
            throw new SmtpRefusal(reply.code(), reply.text().isBlank() ? reply.code() + " " + step + " refused" : reply.text(),
                    SmtpRefusal.Step.SESSION);
        }
    }

    /** Reads one reply, all its lines ("250-..." up to "250 ..."); text lines joined by "\n", the code kept. */
    private Reply read() throws IOException {
        StringBuilder text = new StringBuilder();
        while (true) {
            int length = readLine();
            if (length < 3) {
                throw new IOException("The SMTP server sent a malformed reply");
            }
            int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
            if (code < 100 || code > 599) {
                throw new IOException("The SMTP server sent a malformed reply");
            }
            if (!text.isEmpty()) {
                text.append('\n');
            }
            if (length > 4) {
                text.append(new String(line, 4, length - 4, StandardCharsets.UTF_8));
            }
            if (length == 3 || line[3] == ' ') {
                String joined = text.toString();
                return new Reply(code, code >= 400 ? code + " " + joined.replace('\n', ' ') : joined);
            }
        }
    }

    private int readLine() throws IOException {
        int length = 0;
        while (true) {
            if (inPos == inLimit) {
                int n = in.read(inBuffer, 0, inBuffer.length);
                if (n < 0) {
                    throw new IOException("The SMTP server closed the connection");
                }
                inPos = 0;
                inLimit = n;
            }
            int b = inBuffer[inPos++] & 0xff;
            if (b == '\n') {
                return length > 0 && line[length - 1] == '\r' ? length - 1 : length;
            }
            if (length < line.length) {
                line[length++] = (byte) b;
            }
        }
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    /** Closes the TCP socket at once: another thread's blocked read or write fails. */
    void abort() {
        try {
            Socket tcp = raw;
            if (tcp != null) {
                tcp.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Says QUIT (without waiting for the answer) and closes. */
    @Override
    public void close() {
        try {
            if (out != null) {
                command("QUIT");
                flush();
            }
        } catch (IOException | RuntimeException e) {
            // closing anyway
        }
        try {
            if (socket != null && socket != raw) {
                socket.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
        abort();
    }

    /** For quarkus.mailer.trust-all=true: any certificate (tests, private relays). */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
