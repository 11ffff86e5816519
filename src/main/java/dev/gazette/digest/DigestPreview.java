package dev.gazette.digest;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.gazette.common.EmailAddresses;
import dev.gazette.common.error.ProblemException;
import dev.gazette.mail.HeaderFields;
import dev.gazette.mail.MailService;
import dev.gazette.subscriber.Subscriber;
import io.quarkus.mailer.Mail;

/**
 * What a reader's next digest would look like, and test sends of it, through the same selection and rendering as the
 * sender: nothing is written to the ledger.
 */
@ApplicationScoped
public class DigestPreview {

    private final DigestAssembler assembler;
    private final DeliveryLedger ledger;
    private final MailService mail;
    private final DigestConfig config;
    private final Clock clock;

    DigestPreview(DigestAssembler assembler, DeliveryLedger ledger, MailService mail, DigestConfig config, Clock clock) {
        this.config = config;
        this.assembler = assembler;
        this.ledger = ledger;
        this.mail = mail;
        this.clock = clock;
    }

    /** A rendered digest. */
    public record Rendered(String subject, String html, String text) {
    }

    public Rendered render(long newsletterId, Long subscriberId) {
        Mail message = build(newsletterId, subscriberId, null);
        return new Rendered(message.getSubject(), message.getHtml(), message.getText());
    }

    public void sendTest(long newsletterId, Long subscriberId, String to) {
        Mail message = build(newsletterId, subscriberId, to);
        message.setSubject("[Test] " + message.getSubject());
        mail.send(message, "preview");
    }

    private Mail build(long newsletterId, Long subscriberId, String to) {
        IssueContext context = assembler.previewContext(newsletterId);
        if (context.unfitHeader != null) {
            throw ProblemException.conflict(context.unfitHeader, "The newsletter's " + context.unfitHeader + " "
                    + HeaderFields.CONTROL_CHARACTERS + ": correct it in the newsletter's settings, then try again.");
        }
        Instant now = clock.instant();
        List<Long> articles;
        DigestAssembler.Reader reader;
        if (subscriberId != null) {
            Reader found = reader(subscriberId);
            try {
                articles = ledger.select(context.scope, List.of(0L), List.of(subscriberId), List.of(now), config.maxLookback()).of(0L);
            } catch (SQLException e) {
                throw new IllegalStateException("Selecting the digest's articles failed", e);
            }
            reader = new DigestAssembler.Reader(0, subscriberId, to != null ? to : found.email(), found.name());
        } else {
            try {
                articles = ledger.latest(context.scope, now.minus(context.scope.weeklyNewsletter()
                        ? Cadence.WEEKLY.period() : Cadence.DAILY.period()), now);
            } catch (SQLException e) {
                throw new IllegalStateException("Selecting the latest articles failed", e);
            }
            reader = new DigestAssembler.Reader(0, 0, to != null ? to : "reader@example.invalid", null);
        }
        assembler.prepare(context, articles);
        Mail message = assembler.message(context, reader, articles);
        if (message == null) {
            throw new ProblemException(404, "Nothing to send",
                    "No article in " + (subscriberId != null ? "this reader's topics since their previous digest" : "the newsletter's topics in its last period")
                            + ": no digest would be sent.");
        }
        return message;
    }

    /** The reader with this address (in any case), for a preview or test chosen by address. */
    @Transactional
    public Optional<Long> readerByAddress(String address) {
        return EmailAddresses.normalise(address).map(EmailAddresses::key).flatMap(Subscriber::findByEmailKey).map(s -> s.id);
    }

    private record Reader(String email, String name) {
    }

    @Transactional
    Reader reader(long subscriberId) {
        Subscriber s = Subscriber.findById(subscriberId);
        if (s == null) {
            throw ProblemException.notFound("Subscriber " + subscriberId);
        }
        return new Reader(s.email, s.name);
    }
}
