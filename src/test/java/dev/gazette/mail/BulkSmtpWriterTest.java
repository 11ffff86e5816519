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
        writer = new BulkSmtpWriter(plain(greenMail.getSmtp().getPort()), 4, 0);
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

    @Test
    void shouldSendOverImplicitTls() throws Exception {
        start(ServerSetup.PROTOCOL_SMTPS, GreenMailResource.freePort());
        // GreenMail's certificate is self-signed: trust-all, as quarkus.mailer.trust-all=true would set.
        writer = new BulkSmtpWriter(BulkSmtpWriter.SmtpSettings.of("127.0.0.1", greenMail.getSmtps().getPort(), true,
                "DISABLED", true, null, null, null, "sender.example.org", Duration.ofSeconds(5)), 2, 0);

        writer.send(digest(1)).toCompletableFuture().get(20, TimeUnit.SECONDS);

        assertEquals(1, greenMail.getReceivedMessages().length);
        assertEquals("<issue-7.subscriber-1@example.org>", greenMail.getReceivedMessages()[0].getMessageID());
    }

    @Test
    void shouldOpenANewConnectionAfterTheServerWentAway() throws Exception {
        int port = GreenMailResource.freePort();
        start(ServerSetup.PROTOCOL_SMTP, port);
        writer = new BulkSmtpWriter(plain(port), 1, 0);
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
        writer = new BulkSmtpWriter(plain(greenMail.getSmtp().getPort()), 1, 0);
        Mail nobody = digest(1).setTo(List.of());

        ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> writer.send(nobody).toCompletableFuture().get(5, TimeUnit.SECONDS));

        assertTrue(failure.getCause().getMessage().contains("no recipient"), failure.getCause().getMessage());
        assertEquals(0, greenMail.getReceivedMessages().length);
    }
}
