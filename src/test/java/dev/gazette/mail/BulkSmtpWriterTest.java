package dev.gazette.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import dev.gazette.testing.GreenMailResource;

import io.quarkus.mailer.Mail;

/**
 * The bulk writer against a real SMTP server (GreenMail): what arrives, over plain SMTP and implicit TLS, and how it
 * recovers from a server that went away.
 */
class BulkSmtpWriterTest {

    private GreenMail greenMail;
    private BulkSmtpWriter writer;

    @AfterEach
    void stop() {
        if (writer != null) {
            writer.close();
        }
        if (greenMail != null) {
            greenMail.stop();
        }
    }

    private GreenMail start(String protocol, int port) {
        greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", protocol));
        greenMail.start();
        return greenMail;
    }

    private static BulkSmtpWriter.SmtpSettings plain(int port) {
        return BulkSmtpWriter.SmtpSettings.of("127.0.0.1", port, false, "DISABLED", false, null, null, null,
                "sender.example.org", Duration.ofSeconds(5));
    }

    private static Mail digest(int n) {
        return new Mail().setFrom("Wörld Mörning <news@example.org>").setTo(List.of("Reader " + n + " <reader" + n + "@example.org>"))
                .setBounceAddress("bounce+d" + n + "@example.org")
                .setSubject("Your digest – Grüße #" + n)
                .setText("Hello reader " + n + "\n.a line that starts with a dot\n..and one with two\n.\nend")
                .setHtml("<p>Hello reader " + n + "</p>")
                .addHeader("Message-ID", "<issue-7.subscriber-" + n + "@example.org>")
                .addHeader("List-Unsubscribe", "<https://example.org/u/t" + n + ">, <mailto:unsubscribe@example.org?subject=u" + n + ">")
                .addHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
                .addHeader("List-Id", "Wörld Mörning <world.example.org>");
    }

    @Test
    void shouldDeliverEveryMessageIntactOverAFewConnections() throws Exception {
        start(ServerSetup.PROTOCOL_SMTP, GreenMailResource.freePort());
        writer = new BulkSmtpWriter(plain(greenMail.getSmtp().getPort()), 4, 0, null);
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int n = 1; n <= 40; n++) {
            Mail mail = digest(n);
            HeaderText.encodeHeaders(mail); // as MailService does for every message
            sends.add(writer.send(mail).toCompletableFuture());
        }
        CompletableFuture.allOf(sends.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);

        MimeMessage[] received = greenMail.getReceivedMessages();
        assertEquals(40, received.length);
        Set<String> ids = new HashSet<>();
        for (MimeMessage message : received) {
            ids.add(message.getMessageID());
            String to = ((jakarta.mail.internet.InternetAddress) message.getAllRecipients()[0]).getAddress();
            String n = to.replaceAll("\\D", "");
            assertEquals("<issue-7.subscriber-" + n + "@example.org>", message.getMessageID());
            assertEquals("Your digest – Grüße #" + n, message.getSubject());
            assertEquals("<bounce+d" + n + "@example.org>", message.getHeader("Return-Path", null), "envelope sender (VERP)");
            assertEquals("List-Unsubscribe=One-Click", message.getHeader("List-Unsubscribe-Post", null));
            assertEquals("<https://example.org/u/t" + n + ">, <mailto:unsubscribe@example.org?subject=u" + n + ">",
                    MimeUtility.unfold(message.getHeader("List-Unsubscribe", null)), "folded on the wire, the same once unfolded");
            assertEquals("Wörld Mörning <world.example.org>", MimeUtility.decodeText(message.getHeader("List-Id", null)),
                    "non-ASCII header text travels encoded (RFC 2047)");
            assertTrue(message.getHeader("List-Id", null).matches("=\\?UTF-8\\?Q\\?[^ ]+\\?= <world\\.example\\.org>"),
                    "the list's id stays outside the encoded text: " + message.getHeader("List-Id", null));
            jakarta.mail.internet.InternetAddress from = (jakarta.mail.internet.InternetAddress) message.getFrom()[0];
            assertEquals("Wörld Mörning", from.getPersonal());
            assertEquals("news@example.org", from.getAddress());
            Multipart alternative = (Multipart) message.getContent();
            assertEquals("Hello reader " + n + "\r\n.a line that starts with a dot\r\n..and one with two\r\n.\r\nend",
                    alternative.getBodyPart(0).getContent().toString().strip(), "dot-stuffing is undone by the server");
            assertEquals("<p>Hello reader " + n + "</p>", alternative.getBodyPart(1).getContent().toString().strip());
        }
        assertEquals(40, ids.size());
    }

    @Test
    void shouldEncodeOnlyTheNonAsciiWordsOfAHeader() throws Exception {
        assertEquals("plain <id.example.org>", HeaderText.encode("plain <id.example.org>"));
        String encoded = HeaderText.encode("Le Café du matin <cafe.example.org> über");
        assertTrue(encoded.startsWith("Le =?UTF-8?Q?Caf=C3=A9?= du matin <cafe.example.org> =?UTF-8?Q?"), encoded);
        assertEquals("Le Café du matin <cafe.example.org> über", MimeUtility.decodeText(encoded));
        assertEquals("Grüße aus Köln", MimeUtility.decodeText(HeaderText.encode("Grüße aus Köln")));
    }

    /**
     * A scripted SMTP server that offers PIPELINING and answers MAIL only once RCPT and DATA have arrived too: a
     * client that waited for each reply would stall here. Recipients starting with "hard" get 550 5.1.1, "soft" 451.
     */
    static final class PipeliningServer implements AutoCloseable {
        final java.net.ServerSocket server;
        final List<String> commands = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
        final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
        private final Thread thread;

        /** Offers AUTH XOAUTH2 and takes the access token "good-token" for user "news@example.org". */
        boolean xoauth2;

        PipeliningServer() throws java.io.IOException {
            server = new java.net.ServerSocket(0, 10, java.net.InetAddress.getByName("127.0.0.1"));
            thread = new Thread(this::serve, "pipelining-smtp");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve() {
            while (!server.isClosed()) {
                try (java.net.Socket socket = server.accept()) {
                    connections.incrementAndGet();
                    java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                            java.nio.charset.StandardCharsets.US_ASCII));
                    java.io.Writer out = new java.io.OutputStreamWriter(socket.getOutputStream(), java.nio.charset.StandardCharsets.US_ASCII);
                    out.write("220 fake.example.org ESMTP\r\n");
                    out.flush();
                    String line;
                    while ((line = in.readLine()) != null) {
                        commands.add(line);
                        if (line.startsWith("EHLO")) {
                            out.write("250-fake.example.org\r\n250-PIPELINING\r\n" + (xoauth2 ? "250-AUTH XOAUTH2\r\n" : "")
                                    + "250 8BITMIME\r\n");
                        } else if (line.startsWith("AUTH XOAUTH2 ")) {
                            String sasl = new String(java.util.Base64.getDecoder().decode(line.substring(13)),
                                    java.nio.charset.StandardCharsets.US_ASCII);
                            if (sasl.equals("user=news@example.org\u0001auth=Bearer good-token\u0001\u0001")) {
                                out.write("235 2.7.0 Accepted\r\n");
                            } else {
                                out.write("334 eyJzdGF0dXMiOiI0MDEifQ==\r\n");
                                out.flush();
                                commands.add(in.readLine());
                                out.write("535 5.7.8 Username and Password not accepted\r\n");
                            }
                        } else if (line.startsWith("MAIL FROM:")) {
                            String rcpt = in.readLine();
                            String data = in.readLine();
                            commands.add(rcpt);
                            commands.add(data);
                            String reply = rcpt.startsWith("RCPT TO:<hard") ? "550 5.1.1 <hard@example.org>: User unknown"
                                    : rcpt.startsWith("RCPT TO:<soft") ? "451 4.3.0 Try again later" : "250 2.1.5 Ok";
                            boolean ok = reply.startsWith("250");
                            out.write("250 2.1.0 Ok\r\n" + reply + "\r\n" + (ok ? "354 End data with <CR><LF>.<CR><LF>" : "554 5.5.1 No valid recipients") + "\r\n");
                            out.flush();
                            if (ok) {
                                StringBuilder message = new StringBuilder();
                                String body;
                                while (!(body = in.readLine()).equals(".")) {
                                    message.append(body).append('\n');
                                }
                                messages.add(message.toString());
                                out.write("250 2.0.0 Queued\r\n");
                            }
                        } else if (line.startsWith("QUIT")) {
                            out.write("221 Bye\r\n");
                            out.flush();
                            break;
                        } else {
                            out.write("250 Ok\r\n");
                        }
                        out.flush();
                    }
                } catch (java.io.IOException e) {
                    // the next connection
                }
            }
        }

        @Override
        public void close() throws java.io.IOException {
            server.close();
        }
    }

    @Test
    void shouldSendWithoutLoginToARelayThatOffersNone() throws Exception {
        try (PipeliningServer fake = new PipeliningServer()) {
            // As quarkus.mailer.login=NONE: credentials are used only where the server asks for them.
            writer = new BulkSmtpWriter(BulkSmtpWriter.SmtpSettings.of("127.0.0.1", fake.port(), false, "DISABLED", false,
                    "sender", "secret", null, "sender.example.org", Duration.ofSeconds(5)), 1, 0, null);
            writer.send(digest(1)).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(1, fake.messages.size());
            assertTrue(fake.commands.stream().noneMatch(c -> c.startsWith("AUTH")));
        }
    }

    @Test
    void shouldLogInWithAnOAuthAccessTokenAsXoauth2() throws Exception {
        try (PipeliningServer fake = new PipeliningServer()) {
            fake.xoauth2 = true;
            writer = new BulkSmtpWriter(BulkSmtpWriter.SmtpSettings.of("127.0.0.1", fake.port(), false, "DISABLED", false,
                    "news@example.org", "good-token", null, "sender.example.org", Duration.ofSeconds(5)).withLogin("XOAUTH2"),
                    1, 0, null);
            writer.send(digest(1)).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(1, fake.messages.size());
            writer.close();

            writer = new BulkSmtpWriter(BulkSmtpWriter.SmtpSettings.of("127.0.0.1", fake.port(), false, "DISABLED", false,
                    "news@example.org", "expired-token", null, "sender.example.org", Duration.ofSeconds(5)).withLogin("xoauth2"),
                    1, 0, null);
            ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> writer.send(digest(2)).toCompletableFuture().get(10, TimeUnit.SECONDS));
            assertTrue(refused.getCause() instanceof SmtpUnavailable && refused.getCause().getMessage().contains("535 5.7.8"),
                    String.valueOf(refused.getCause()));
            assertEquals(1, fake.messages.size());
            assertTrue(fake.commands.contains(""), "the error details were answered with an empty line");
        }
    }

    @Test
    void shouldPipelineTheEnvelopeAndKeepTheConnectionAfterARefusal() throws Exception {
        try (PipeliningServer fake = new PipeliningServer()) {
            writer = new BulkSmtpWriter(plain(fake.port()), 1, 0, null);

            ExecutionException hard = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> writer.send(digest(1).setTo(List.of("hard@example.org"))).toCompletableFuture().get(10, TimeUnit.SECONDS));
            SmtpRefusal refusal = (SmtpRefusal) hard.getCause();
            assertEquals(550, refusal.code());
            assertTrue(refusal.getMessage().contains("5.1.1"), refusal.getMessage());
            ExecutionException soft = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> writer.send(digest(2).setTo(List.of("soft@example.org"))).toCompletableFuture().get(10, TimeUnit.SECONDS));
            assertEquals(451, ((SmtpRefusal) soft.getCause()).code());
            writer.send(digest(3)).toCompletableFuture().get(10, TimeUnit.SECONDS);

            assertEquals(1, fake.connections.get(), "a refused message leaves the connection usable");
            assertEquals(SmtpRefusal.Step.RECIPIENT, refusal.step());
            assertEquals(2, fake.commands.stream().filter(c -> c.equals("RSET")).count(), "each refused transaction is reset");
            assertEquals(1, fake.messages.size());
            assertTrue(fake.messages.get(0).contains("Message-ID: <issue-7.subscriber-3@example.org>"), fake.messages.get(0));
            assertTrue(fake.messages.get(0).contains("\n..a line that starts with a dot\n"), "a leading dot is doubled on the wire");
            assertTrue(fake.messages.get(0).contains("\n...and one with two\n"), "two leading dots become three");
        }
    }

    @Test
    void shouldAuthenticateAndRetryLaterWhenTheLoginIsRefused() throws Exception {
        start(ServerSetup.PROTOCOL_SMTP, GreenMailResource.freePort());
        greenMail.setUser("sender@example.org", "sender", "right-password");
        int port = greenMail.getSmtp().getPort();
        writer = new BulkSmtpWriter(BulkSmtpWriter.SmtpSettings.of("127.0.0.1", port, false, "DISABLED", false, "sender",
                "right-password", null, "sender.example.org", Duration.ofSeconds(5)), 1, 0, null);
        writer.send(digest(1)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertEquals(1, greenMail.getReceivedMessages().length);
        writer.close();

        writer = new BulkSmtpWriter(BulkSmtpWriter.SmtpSettings.of("127.0.0.1", port, false, "DISABLED", false, "sender",
                "wrong-password", null, "sender.example.org", Duration.ofSeconds(5)), 1, 0, null);
        ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> writer.send(digest(2)).toCompletableFuture().get(20, TimeUnit.SECONDS));
        assertTrue(refused.getCause() instanceof java.io.IOException && !(refused.getCause() instanceof SmtpRefusal),
                "a refused login is about the session, to be retried, not a refusal of the message: " + refused.getCause());
        assertTrue(refused.getCause().getMessage().contains("535"), refused.getCause().getMessage());
        assertEquals(1, greenMail.getReceivedMessages().length);
    }

    @Test
    void shouldSendAThousandConfirmationsToAServerThatGreetsAtOnceWithoutOneWaitingForATimeout() throws Exception {
        // GreenMail here greets the moment it accepts, as an MTA on the same host does: the case in which the Vert.x
        // client behind Quarkus Mailer could lose the greeting and wait out the send timeout. A new connection every
        // 10 messages makes the sends meet 100 fresh greetings (GreenMail answers slowly on new connections, about
        // 25 ms each here, so not one per message).
        start(ServerSetup.PROTOCOL_SMTP, GreenMailResource.freePort());
        BulkSmtpWriter single = new BulkSmtpWriter(plain(greenMail.getSmtp().getPort()), 2, 10, null);
        writer = single;
        SmtpTransport transport = new SmtpTransport(() -> {
            throw new AssertionError("no Quarkus Mailer");
        }, new SmtpTransport.Own(single, single), Duration.ofSeconds(30), "test", Runnable::run);
        java.util.concurrent.ExecutorService requests = java.util.concurrent.Executors.newFixedThreadPool(8);
        long started = System.nanoTime();
        try {
            List<java.util.concurrent.Future<?>> sends = new java.util.ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                Mail confirmation = Mail.withText("reader" + i + "@example.org", "Confirm your subscription", "Please confirm.")
                        .setFrom("news@example.org");
                sends.add(requests.submit(() -> transport.send(confirmation)));
            }
            for (java.util.concurrent.Future<?> send : sends) {
                send.get(60, TimeUnit.SECONDS);
            }
        } finally {
            requests.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(1000, greenMail.getReceivedMessages().length);
        assertTrue(seconds < 10, "1,000 confirmations took " + seconds + " s; one stalled send alone would take 30 s");
    }

    @Test
    void shouldSendOverImplicitTls() throws Exception {
        start(ServerSetup.PROTOCOL_SMTPS, GreenMailResource.freePort());
        // GreenMail's certificate is self-signed: trust-all, as quarkus.mailer.trust-all=true would set.
        writer = new BulkSmtpWriter(BulkSmtpWriter.SmtpSettings.of("127.0.0.1", greenMail.getSmtps().getPort(), true,
                "DISABLED", true, null, null, null, "sender.example.org", Duration.ofSeconds(5)), 2, 0, null);

        writer.send(digest(1)).toCompletableFuture().get(20, TimeUnit.SECONDS);

        assertEquals(1, greenMail.getReceivedMessages().length);
        assertEquals("<issue-7.subscriber-1@example.org>", greenMail.getReceivedMessages()[0].getMessageID());
    }

    @Test
    void shouldOpenANewConnectionAfterTheServerWentAway() throws Exception {
        int port = GreenMailResource.freePort();
        start(ServerSetup.PROTOCOL_SMTP, port);
        writer = new BulkSmtpWriter(plain(port), 1, 0, null);
        writer.send(digest(1)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        greenMail.stop();
        start(ServerSetup.PROTOCOL_SMTP, port);

        // The first message after the restart may find the old connection dead (and fail, to be retried by the
        // ledger); one more gets through on a new connection.
        boolean firstFailed = false;
        try {
            writer.send(digest(2)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            firstFailed = true;
        }
        writer.send(digest(3)).toCompletableFuture().get(20, TimeUnit.SECONDS);

        assertEquals(firstFailed ? 1 : 2, greenMail.getReceivedMessages().length);
        assertTrue(greenMail.getReceivedMessages()[greenMail.getReceivedMessages().length - 1].getMessageID().contains("subscriber-3"));
    }

    @Test
    void shouldRefuseAMessageWithoutRecipientsWithoutSendingAnything() throws Exception {
        start(ServerSetup.PROTOCOL_SMTP, GreenMailResource.freePort());
        writer = new BulkSmtpWriter(plain(greenMail.getSmtp().getPort()), 1, 0, null);
        Mail nobody = digest(1).setTo(List.of());

        ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> writer.send(nobody).toCompletableFuture().get(5, TimeUnit.SECONDS));

        assertTrue(failure.getCause().getMessage().contains("no recipient"), failure.getCause().getMessage());
        assertEquals(0, greenMail.getReceivedMessages().length);
    }
}
