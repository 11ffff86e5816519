package dev.gazette.subscriber;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import dev.gazette.article.Topic;
import dev.gazette.common.EmailAddresses;
import dev.gazette.common.Text;
import dev.gazette.common.error.Problem;
import dev.gazette.common.error.ProblemException;

/**
 * Changes editors make to readers by hand: a reader's preferences edited on their behalf, and a reader added by hand
 * with the editor's record of how they gave consent. Each change is one transaction and one line of the reader's
 * history naming the editor.
 */
@ApplicationScoped
public class ReaderEdits {

    /** How a reader added by hand gave consent, as the editor chooses it. */
    public enum ConsentMethod {
        IN_PERSON("told us in person"),
        PAPER_FORM("signed a paper form"),
        EMAIL("asked by email"),
        PHONE("asked by phone"),
        OTHER("other");

        public final String label;

        ConsentMethod(String label) {
            this.label = label;
        }
    }

    /** A reader's preferences as the editor sets them; {@code topics} are slugs, ignored with {@code allTopics}. */
    public record Edit(String name, boolean allTopics, List<String> topics, String frequency, String timezone) {
    }

    /**
     * A reader added by hand. With {@code confirmed} the editor attests the reader's consent and the reader is active at
     * once; otherwise they get the confirmation mail of the double opt-in and stay pending until they click.
     */
    public record Addition(String email, Edit preferences, String consentMethod, String consentNote, boolean confirmed) {
    }

    /** The address is already a reader's: the editor is sent to that reader instead. */
    public static final class AlreadyKnown extends ProblemException {
        private final long subscriberId;

        AlreadyKnown(long subscriberId) {
            super(409, "Conflict", "The address is already a reader's.",
                    List.of(new Problem.Violation("email", "is already a reader's address")));
            this.subscriberId = subscriberId;
        }

        public long subscriberId() {
            return subscriberId;
        }
    }

    private static final String INSERT = """
            insert into subscriber (email, email_key, name, status, all_topics, frequency, timezone, consent_source,
                consent_at, source_label, confirmed_at, created_at, updated_at)
            values (:email, :key, :name, :status, :all, :frequency, :timezone, 'EDITOR', :now, :label, :confirmed, :now, :now)
            on conflict (email_key) do nothing""";

    private final SuppressionService suppressions;
    private final ConfirmationSender confirmations;
    private final EntityManager em;
    private final Clock clock;

    private final ReaderEvents events;

    ReaderEdits(SuppressionService suppressions, ConfirmationSender confirmations, EntityManager em, Clock clock,
            ReaderEvents events) {
        this.events = events;
        this.suppressions = suppressions;
        this.confirmations = confirmations;
        this.em = em;
        this.clock = clock;
    }

    /** Checked preferences. */
    private record Checked(String name, boolean allTopics, Set<Topic> topics, Frequency frequency, String timezone) {
    }

    /** Changes a reader's name, topics, frequency and time zone; records what changed, by whom, in their history. */
    @Transactional
    public Subscriber edit(long subscriberId, Edit edit, String editor) {
        List<Problem.Violation> problems = new ArrayList<>();
        Checked checked = check(edit, problems);
        if (!problems.isEmpty()) {
            throw invalid(problems);
        }
        Subscriber s = Subscriber.<Subscriber> findByIdOptional(subscriberId, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> ProblemException.notFound("Subscriber " + subscriberId));
        List<String> changes = new ArrayList<>();
        String topicsBefore = topics(s.allTopics, s.topics);
        String topicsAfter = topics(checked.allTopics(), checked.topics());
        if (!topicsBefore.equals(topicsAfter)) {
            changes.add("topics " + topicsBefore + " → " + topicsAfter);
        }
        if (s.frequency != checked.frequency()) {
            changes.add("frequency " + word(s.frequency) + " → " + word(checked.frequency()));
        }
        if (!s.timezone.equals(checked.timezone())) {
            changes.add("time zone " + s.timezone + " → " + checked.timezone());
        }
        if (!Objects.equals(s.name, checked.name())) {
            // As the reader's own preference changes: the history says that the name changed, not what it is.
            changes.add(checked.name() == null ? "name removed" : "name changed");
        }
        if (changes.isEmpty()) {
            return s;
        }
        Instant now = clock.instant();
        s.name = checked.name();
        s.allTopics = checked.allTopics();
        s.topics = new LinkedHashSet<>(checked.topics());
        s.frequency = checked.frequency();
        s.timezone = checked.timezone();
        s.updatedAt = now;
        SubscriberEvent.record(s.id, "EDITED", "Edited by " + editor + ": " + String.join(", ", changes), now);
        events.updated(s, "editor");
        return s;
    }

    /**
     * Adds a reader by hand. Refused, naming the field, for an address already on the list ({@link AlreadyKnown}) or on
     * the suppression list, and without a consent method.
     */
    @Transactional
    public Subscriber add(Addition addition, String editor) {
        List<Problem.Violation> problems = new ArrayList<>();
        Optional<String> email = EmailAddresses.normalise(addition.email());
        if (email.isEmpty()) {
            problems.add(new Problem.Violation("email", "is not a valid email address"));
        }
        Checked checked = check(addition.preferences(), problems);
        ConsentMethod method = consentMethod(addition.consentMethod());
        String note = addition.consentNote() == null ? null : Text.cut(EmailAddresses.cleanName(addition.consentNote()), 150);
        if (method == null) {
            problems.add(new Problem.Violation("consentMethod", "choose how the reader gave consent"));
        } else if (method == ConsentMethod.OTHER && note == null) {
            problems.add(new Problem.Violation("consentNote", "say how the reader gave consent"));
        }
        if (!problems.isEmpty()) {
            throw invalid(problems);
        }
        String key = EmailAddresses.key(email.get());
        Optional<Subscriber> known = Subscriber.findByEmailKey(key);
        if (known.isPresent()) {
            throw new AlreadyKnown(known.get().id);
        }
        Optional<Suppression> suppressed = suppressions.find(key);
        if (suppressed.isPresent()) {
            throw new ProblemException(409, "Conflict", "The address is on the suppression list.",
                    List.of(new Problem.Violation("email", suppressedMessage(suppressed.get().reason))));
        }
        Instant now = clock.instant();
        String consent = method.label + (note == null ? "" : ": " + note);
        int inserted = em.createNativeQuery(INSERT).setParameter("email", email.get()).setParameter("key", key)
                .setParameter("name", checked.name())
                .setParameter("status", (addition.confirmed() ? SubscriberStatus.ACTIVE : SubscriberStatus.PENDING).name())
                .setParameter("all", checked.allTopics()).setParameter("frequency", checked.frequency().name())
                .setParameter("timezone", checked.timezone()).setParameter("label", Text.cut(consent, 200))
                .setParameter("confirmed", addition.confirmed() ? now : null).setParameter("now", now).executeUpdate();
        Subscriber s = Subscriber.<Subscriber> find("emailKey", key).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
        if (inserted == 0) {
            // Added by someone else between the check and the insert.
            throw new AlreadyKnown(s.id);
        }
        s.topics = new LinkedHashSet<>(checked.topics());
        SubscriberEvent.record(s.id, "ADDED_BY_EDITOR", "Added by " + editor + (addition.confirmed()
                ? ", who attests the reader's consent" : ", confirmation mail to follow") + "; consent: " + consent, now);
        events.created(s, "editor");
        if (addition.confirmed()) {
            events.confirmed(s);
        } else {
            confirmations.sendIfDue(s, now);
        }
        return s;
    }

    private static String suppressedMessage(SuppressionReason reason) {
        return switch (reason) {
            case UNSUBSCRIBED, ERASED, INACTIVE -> "is on the suppression list (" + reason.name().toLowerCase(Locale.ROOT)
                    + "): only the reader can subscribe again, through the subscribe form";
            default -> "is on the suppression list (" + reason.name().toLowerCase(Locale.ROOT).replace('_', ' ')
                    + "): it gets no mail and cannot be added";
        };
    }

    private Checked check(Edit edit, List<Problem.Violation> problems) {
        Frequency frequency = null;
        try {
            frequency = Frequency.valueOf(edit.frequency() == null ? "" : edit.frequency().strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(new Problem.Violation("frequency", "must be daily or weekly"));
        }
        String timezone = edit.timezone() == null ? "" : edit.timezone().strip();
        if (!TimeZones.isKnown(timezone)) {
            problems.add(new Problem.Violation("timezone", "is not a known time zone (choose one such as Europe/Paris)"));
        }
        Set<Topic> topics = edit.allTopics() ? Set.of() : Topic.resolve(edit.topics(), problems);
        if (!edit.allTopics() && topics.isEmpty() && problems.stream().noneMatch(p -> p.field().equals("topics"))) {
            problems.add(new Problem.Violation("topics", "choose at least one topic, or all topics"));
        }
        String name = EmailAddresses.cleanName(edit.name());
        if (edit.name() != null && edit.name().strip().length() > 200) {
            problems.add(new Problem.Violation("name", "must be at most 200 characters"));
        }
        return new Checked(name, edit.allTopics(), topics, frequency, timezone);
    }

    private static ConsentMethod consentMethod(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return ConsentMethod.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static ProblemException invalid(List<Problem.Violation> problems) {
        return new ProblemException(400, "Bad Request", "The request is not valid: see violations.", problems);
    }

    private static String topics(boolean all, Set<Topic> topics) {
        return all ? "all" : topics.isEmpty() ? "none" : topics.stream().map(t -> t.slug).sorted().collect(Collectors.joining(" "));
    }

    private static String word(Frequency f) {
        return f.name().toLowerCase(Locale.ROOT);
    }
}
