package dev.gazette.mail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import dev.gazette.common.Emails;
import dev.gazette.common.OwnerOnlyFiles;
import io.quarkus.logging.Log;
import io.quarkus.mailer.Mail;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.mailencoder.MailEncoder;

/**
 * Writes each message as an RFC 822 {@code .eml} file, encoded exactly as the SMTP client would send it, so that the
 * zero-setup run needs no mail server and any mail client can open the result.
 */
public final class OutboxTransport implements MailTransport {

    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    private final Path directory;
    private final String hostName;
    private final Clock clock;

    public OutboxTransport(Path directory, String hostName, Clock clock) {
        this.directory = directory;
        this.hostName = hostName;
        this.clock = clock;
    }

    @Override
    public void send(Mail mail) {
        if (mail.getAttachments() != null && !mail.getAttachments().isEmpty()) {
            throw new IllegalArgumentException("The outbox does not store attachments");
        }
        String encoded = new MailEncoder(toMessage(mail), hostName).encode();
        Path file = directory.resolve(FILE_TIME.format(clock.instant()) + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16) + ".eml");
        try {
            // The messages hold live tokens (unsubscribe, preferences): readable by the owner only.
            OwnerOnlyFiles.createDirectories(directory);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            // Messages are written with CRLF line ends, as on the wire.
            OwnerOnlyFiles.writeString(tmp, encoded, StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write to the outbox " + directory.toAbsolutePath(), e);
        }
        Log.infof("Mail \"%s\" to %s written to %s", mail.getSubject(), Emails.mask(mail.getTo()), file.toAbsolutePath());
    }

    /**
     * Narrows the folder and the messages left in it to the owner (0700, 0600): older versions wrote them readable by
     * everyone, and they hold live tokens.
     */
    public void restrictExisting() {
        if (!Files.isDirectory(directory)) {
            return;
        }
        int narrowed = 0;
        try (Stream<Path> files = Files.list(directory)) {
            OwnerOnlyFiles.restrict(directory, OwnerOnlyFiles.FOLDER);
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                        && !Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS).equals(OwnerOnlyFiles.FILE)) {
                    OwnerOnlyFiles.restrict(file, OwnerOnlyFiles.FILE);
                    narrowed++;
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            Log.warnf("Cannot narrow the permissions of the outbox %s: %s", directory.toAbsolutePath(), e.getMessage());
        }
        if (narrowed > 0) {
            Log.infof("%d outbox files made readable by their owner only", narrowed);
        }
    }

    @Override
    public String describe() {
        return "outbox " + directory.toAbsolutePath();
    }

    public Path directory() {
        return directory;
    }

    static MailMessage toMessage(Mail mail) {
        MailMessage message = new MailMessage()
                .setFrom(mail.getFrom())
                .setTo(mail.getTo())
                .setCc(mail.getCc())
                .setBcc(mail.getBcc())
                .setSubject(mail.getSubject())
                .setText(mail.getText())
                .setHtml(mail.getHtml())
                .setBounceAddress(mail.getBounceAddress());
        if (mail.getReplyTo() != null && !mail.getReplyTo().isEmpty()) {
            message.addHeader("Reply-To", String.join(", ", mail.getReplyTo()));
        }
        for (Map.Entry<String, List<String>> header : mail.getHeaders().entrySet()) {
            for (String value : header.getValue()) {
                message.addHeader(header.getKey(), value);
            }
        }
        return message;
    }
}
