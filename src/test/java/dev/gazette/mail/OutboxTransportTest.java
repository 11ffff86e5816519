package dev.gazette.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.mailer.Mail;

class OutboxTransportTest {

    @TempDir
    Path dir;

    @Test
    void shouldNarrowMessagesAnOlderVersionLeftReadableByEveryone() throws Exception {
        Path outbox = Files.createDirectories(dir.resolve("outbox"));
        Path old = Files.writeString(outbox.resolve("20250101-000000-000-1.eml"), "Subject: old\r\n\r\ntoken\r\n");
        Files.setPosixFilePermissions(outbox, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r--r--"));

        new OutboxTransport(outbox, "news.example.org", Clock.systemUTC()).restrictExisting();

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(outbox)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(old)));
    }

    @Test
    void shouldWriteMessageThatMailClientsCanOpen() throws Exception {
        OutboxTransport transport = new OutboxTransport(dir.resolve("outbox"), "news.example.org",
                Clock.fixed(Instant.parse("2026-03-02T09:00:00Z"), ZoneOffset.UTC));
        Mail mail = new Mail().setFrom("Gazette <news@example.org>").setTo(List.of("reader@example.org"))
                .setSubject("Confirm your subscription – Grüße").setText("Plain text").setHtml("<p>HTML</p>")
                .setReplyTo("desk@example.org").addHeader("List-Id", "World <world.news.example.org>");

        transport.send(mail);

        List<Path> files;
        try (Stream<Path> list = Files.list(dir.resolve("outbox"))) {
            files = list.toList();
        }
        assertEquals(1, files.size());
        assertTrue(files.get(0).getFileName().toString().matches("20260302-090000-000-[0-9a-f]+\\.eml"));
        MimeMessage parsed = parse(files.get(0));
        assertEquals("Confirm your subscription – Grüße", parsed.getSubject());
        assertEquals("news@example.org", ((jakarta.mail.internet.InternetAddress) parsed.getFrom()[0]).getAddress());
        assertEquals("reader@example.org", parsed.getAllRecipients()[0].toString());
        assertEquals("desk@example.org", parsed.getReplyTo()[0].toString());
        assertEquals("World <world.news.example.org>", parsed.getHeader("List-Id", null));
        assertTrue(parsed.getMessageID().endsWith("news.example.org>"), parsed.getMessageID());
        Multipart alternative = (Multipart) parsed.getContent();
        assertTrue(alternative.getContentType().startsWith("multipart/alternative"));
        assertEquals("Plain text", alternative.getBodyPart(0).getContent().toString().trim());
        assertEquals("<p>HTML</p>", alternative.getBodyPart(1).getContent().toString().trim());
    }

    @Test
    void shouldRefuseLineBreaksInSubjectRatherThanWriteExtraHeaders() throws Exception {
        OutboxTransport transport = new OutboxTransport(dir, "news.example.org", Clock.systemUTC());
        Mail injected = new Mail().setFrom("news@example.org").setTo(List.of("reader@example.org"))
                .setSubject("Hello\r\nBcc: victim@example.org").setText("x");

        assertThrows(IllegalArgumentException.class, () -> transport.send(injected));
        try (Stream<Path> list = Files.list(dir)) {
            assertEquals(0, list.count());
        }
    }

    private static MimeMessage parse(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return new MimeMessage(Session.getInstance(new Properties()), in);
        }
    }
}
