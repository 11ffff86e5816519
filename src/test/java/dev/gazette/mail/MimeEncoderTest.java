package dev.gazette.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;

import org.junit.jupiter.api.Test;

import io.quarkus.mailer.Mail;

/**
 * The digest encoder, read back by Jakarta Mail as a mail client would: every header and both parts come back as
 * they went in, and the bytes obey the line rules of SMTP and quoted-printable.
 */
class MimeEncoderTest {

    private static final Instant NOW = Instant.parse("2026-03-02T07:00:00Z");
    private final MimeEncoder encoder = new MimeEncoder("news.example.org");

    private static MimeMessage parse(byte[] bytes) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes));
    }

    private static String text(Object part) throws Exception {
        return ((jakarta.mail.BodyPart) part).getContent().toString();
    }

    @Test
    void shouldRoundTripHeadersAndBothParts() throws Exception {
        String plain = "Grüße, Zoë! 東京 🌧️\n.a line that starts with a dot\nends with spaces   \nx=1, y=2\ttab\n\nlast";
        String html = "<p style=\"margin: 0 0 12px 0; font-family: Georgia, serif\">" + "Ünïcode ".repeat(30) + "</p>\n<p>end</p>";
        Mail mail = new Mail().setFrom("Le Café du matin <cafe@news.example.org>")
                .setTo(List.of("\"Reader, \\\"the\\\" first\" <reader@example.org>")).setReplyTo("\"Desk, News\" <desk@news.example.org>, letters@news.example.org")
                .setSubject("Vos nouvelles du matin — pluie à Paris, soleil à Tokyo, et une très longue suite de mots pour plier")
                .setText(plain).setHtml(html)
                .addHeader("Message-ID", "<issue-7.subscriber-42@news.example.org>")
                .addHeader("List-Id", HeaderText.encode("Le Café du matin <cafe.news.example.org>"))
                .addHeader("List-Unsubscribe", "<https://news.example.org/u/" + "t".repeat(120) + ">, <mailto:unsubscribe@news.example.org?subject=u42>")
                .addHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");

        byte[] bytes = encoder.encode(mail, NOW);
        MimeMessage m = parse(bytes);

        InternetAddress from = (InternetAddress) m.getFrom()[0];
        assertEquals("Le Café du matin", from.getPersonal());
        assertEquals("cafe@news.example.org", from.getAddress());
        InternetAddress to = (InternetAddress) m.getRecipients(jakarta.mail.Message.RecipientType.TO)[0];
        assertEquals("Reader, \"the\" first", to.getPersonal());
        assertEquals("reader@example.org", to.getAddress());
        assertEquals(2, m.getReplyTo().length, "a comma inside a quoted name does not split the list");
        assertEquals("Desk, News", ((InternetAddress) m.getReplyTo()[0]).getPersonal());
        assertEquals("desk@news.example.org", ((InternetAddress) m.getReplyTo()[0]).getAddress());
        assertEquals("letters@news.example.org", ((InternetAddress) m.getReplyTo()[1]).getAddress());
        assertEquals(mail.getSubject(), m.getSubject());
        assertEquals("<issue-7.subscriber-42@news.example.org>", m.getMessageID());
        assertEquals(NOW, m.getSentDate().toInstant());
        assertEquals("Le Café du matin <cafe.news.example.org>", MimeUtility.decodeText(m.getHeader("List-Id", null)));
        assertEquals(mail.getHeaders().get("List-Unsubscribe").get(0), MimeUtility.unfold(m.getHeader("List-Unsubscribe", null)));
        assertEquals("List-Unsubscribe=One-Click", m.getHeader("List-Unsubscribe-Post", null));
        assertEquals("1.0", m.getHeader("MIME-Version", null));

        Multipart alternative = (Multipart) m.getContent();
        assertTrue(alternative.getContentType().startsWith("multipart/alternative"));
        assertEquals(2, alternative.getCount());
        assertTrue(alternative.getBodyPart(0).isMimeType("text/plain"));
        assertTrue(alternative.getBodyPart(1).isMimeType("text/html"));
        assertEquals(plain.replace("\n", "\r\n"), text(alternative.getBodyPart(0)));
        assertEquals(html.replace("\n", "\r\n"), text(alternative.getBodyPart(1)));

        String wire = new String(bytes, StandardCharsets.US_ASCII);
        for (String line : wire.split("\r\n", -1)) {
            assertTrue(line.length() <= 998, "SMTP line limit");
            for (char c : line.toCharArray()) {
                assertTrue(c >= 32 && c < 127 || c == '\t', "7-bit clean: " + line);
            }
        }
        String plainPart = wire.substring(wire.indexOf("quoted-printable\r\n\r\n") + 20);
        for (String line : plainPart.substring(0, plainPart.indexOf("\r\n--=_gz_")).split("\r\n")) {
            assertTrue(line.length() <= 76, "quoted-printable lines stay within 76 characters: " + line);
            assertFalse(line.endsWith(" ") || line.endsWith("\t"), "no bare white space at a line end: [" + line + "]");
        }
        assertFalse(wire.contains("\n") && wire.replace("\r\n", "").contains("\n"), "every line ends in CRLF");
    }

    @Test
    void shouldBreakLongLinesAndNeverSplitAnEscape() throws Exception {
        for (int length = 70; length <= 80; length++) {
            for (String fill : List.of("a", "é", "=", " ")) {
                String line = "x".repeat(length - 1) + fill + "tail" + fill.repeat(length);
                Mail mail = new Mail().setFrom("news@example.org").setTo(List.of("r@example.org")).setSubject("s").setText(line);
                MimeMessage m = parse(encoder.encode(mail, NOW));
                assertEquals(line, m.getContent().toString(), "length " + length + " with " + fill);
            }
        }
    }

    @Test
    void shouldWriteASinglePartAndAMessageIdWhenNoneIsGiven() throws Exception {
        Mail mail = new Mail().setFrom("news@example.org").setTo(List.of("r@example.org")).setSubject("Only HTML")
                .setHtml("<p>Hello</p>");
        MimeMessage m = parse(encoder.encode(mail, NOW));
        assertTrue(m.isMimeType("text/html"));
        assertEquals("<p>Hello</p>", m.getContent().toString());
        assertTrue(m.getMessageID().endsWith("@news.example.org>"), m.getMessageID());
        assertNull(m.getHeader("Reply-To"));
    }

    @Test
    void shouldKeepLineBreaksInHeaderValuesFromStartingNewHeaders() throws Exception {
        Mail mail = new Mail().setFrom("Evil\r\nBcc: victim@example.org <news@example.org>").setTo(List.of("r@example.org"))
                .setSubject("Hi\r\nBcc: victim@example.org").setText("body").addHeader("X-Note", "a\nBcc: x@example.org");
        MimeMessage m = parse(encoder.encode(mail, NOW));
        assertNull(m.getHeader("Bcc"));
        assertEquals("Hi Bcc: victim@example.org", m.getSubject());
    }
}
