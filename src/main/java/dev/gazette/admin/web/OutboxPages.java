package dev.gazette.admin.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.annotation.security.RolesAllowed;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;
import dev.gazette.mail.MailService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The editor UI's outbox: the mails of the zero-setup run (written as .eml files instead of sent), listed and
 * shown as a reader would see them.
 */
@Path("/admin")
@Produces(MediaType.TEXT_HTML)
public class OutboxPages {

    private static final Pattern OUTBOX_NAME = Pattern.compile("[A-Za-z0-9._-]+\\.eml");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance outbox(AdminChrome chrome, String directory, List<OutboxMail> mails);

        static native TemplateInstance outboxMail(AdminChrome chrome, OutboxMail mail, String html, String text);
    }

    /** A mail in the outbox. */
    public record OutboxMail(String name, String subject, String to, Instant written, long bytes) {
    }

    private final AdminContext context;
    private final MailService mail;

    OutboxPages(AdminContext context, MailService mail) {
        this.context = context;
        this.mail = mail;
    }

    @GET
    @Path("/outbox")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance outbox() {
        Optional<java.nio.file.Path> dir = mail.outboxDirectory();
        List<OutboxMail> mails = new ArrayList<>();
        if (dir.isPresent() && Files.isDirectory(dir.get())) {
            try (DirectoryStream<java.nio.file.Path> files = Files.newDirectoryStream(dir.get(), "*.eml")) {
                for (java.nio.file.Path f : files) {
                    mails.add(summary(f));
                }
            } catch (IOException e) {
                throw new IllegalStateException("Cannot read the outbox " + dir.get(), e);
            }
        }
        mails.sort(Comparator.comparing(OutboxMail::written).reversed());
        return Templates.outbox(context.chrome("outbox"), dir.map(java.nio.file.Path::toString).orElse(null),
                mails.size() > 200 ? mails.subList(0, 200) : mails);
    }

    @GET
    @Path("/outbox/{name}")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance outboxMail(@PathParam("name") String name) {
        String[] parts = parts(name);
        return Templates.outboxMail(context.chrome("outbox"), summary(outboxFile(name)), parts[0], parts[1]);
    }

    /** The HTML and the text part of mail {@code name}, each null when the mail has none. */
    String[] parts(String name) {
        java.nio.file.Path file = outboxFile(name);
        try (InputStream in = Files.newInputStream(file)) {
            MimeMessage message = new MimeMessage(Session.getInstance(new java.util.Properties()), in);
            String[] parts = new String[2];
            collect(message, parts);
            return parts;
        } catch (IOException | jakarta.mail.MessagingException e) {
            throw new IllegalStateException("Cannot read " + file, e);
        }
    }

    private java.nio.file.Path outboxFile(String name) {
        java.nio.file.Path dir = mail.outboxDirectory().orElseThrow(() -> ProblemException.notFound("The outbox"));
        if (!OUTBOX_NAME.matcher(name).matches() || !Files.isRegularFile(dir.resolve(name))) {
            throw ProblemException.notFound("Mail " + name);
        }
        return dir.resolve(name);
    }

    private static void collect(Part part, String[] htmlAndText) throws IOException, jakarta.mail.MessagingException {
        if (part.isMimeType("text/html") && htmlAndText[0] == null) {
            htmlAndText[0] = part.getContent().toString();
        } else if (part.isMimeType("text/plain") && htmlAndText[1] == null) {
            htmlAndText[1] = part.getContent().toString();
        } else if (part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                collect(child, htmlAndText);
            }
        }
    }

    private static OutboxMail summary(java.nio.file.Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MimeMessage m = new MimeMessage(Session.getInstance(new java.util.Properties()), in);
            return new OutboxMail(file.getFileName().toString(), m.getSubject(), String.join(", ",
                    Arrays.stream(Optional.ofNullable(m.getAllRecipients()).orElse(new jakarta.mail.Address[0]))
                            .map(Object::toString).toList()),
                    Files.getLastModifiedTime(file).toInstant(), Files.size(file));
        } catch (IOException | jakarta.mail.MessagingException e) {
            return new OutboxMail(file.getFileName().toString(), "(unreadable)", "", Instant.EPOCH, 0);
        }
    }
}
