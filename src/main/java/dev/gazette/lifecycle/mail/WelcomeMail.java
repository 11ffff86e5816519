package dev.gazette.lifecycle.mail;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.gazette.common.error.Problem;
import dev.gazette.common.error.ProblemException;
import dev.gazette.subscriber.Subscriber;
import io.quarkus.mailer.Mail;

/**
 * The welcome mail a reader gets once after confirming (site-wide, off until an editor switches it on): its text,
 * checked when saved, and which readers are due it: every reader confirmed since it was switched on, except imported
 * ones, so a reader missed by one run, or confirmed while Gazette was down, is planned by the next.
 */
@ApplicationScoped
public class WelcomeMail implements LifecycleFlow {

    static final String DEFAULT_SUBJECT = "Welcome to {site}";
    static final String DEFAULT_BODY = """
            Hello{#if name} {name}{/if},

            thank you for confirming: you will get our newsletters on {topics}.

            You can change your topics, how often you hear from us and your time zone at any time: {preferencesUrl}
            """;

    private static final String PLAN = """
            insert into lifecycle_mail (message_id, subscriber_id, status, due_at, created_at, updated_at)
            select m.id, s.id, 'PENDING', :now, :now, :now
            from lifecycle_message m join subscriber s on s.confirmed_at >= m.enabled_since
            where m.kind = 'WELCOME' and m.enabled and s.status = 'ACTIVE' and s.consent_source <> 'IMPORT'
            on conflict (message_id, subscriber_id, occasion) do nothing""";

    private static final String PLAN_IMPORT = """
            insert into lifecycle_mail (message_id, subscriber_id, status, due_at, created_at, updated_at)
            select m.id, s.id, 'PENDING', :now, :now, :now
            from lifecycle_message m join subscriber s on s.import_id = :import
            where m.kind = 'WELCOME' and m.enabled and s.status = 'ACTIVE'
            on conflict (message_id, subscriber_id, occasion) do nothing""";

    /** A finished import, and how many of its active readers have not had the welcome. */
    public record ImportedReaders(long importId, String fileName, Instant finishedAt, long withoutWelcome) {
    }

    /** The welcome as saved. */
    public record Settings(boolean enabled, String subject, String body, Instant enabledSince) {
        LifecycleTexts.Text text() {
            return new LifecycleTexts.Text(subject, body);
        }
    }

    private final LifecycleTexts texts;
    private final EntityManager em;
    private final Clock clock;

    WelcomeMail(LifecycleTexts texts, EntityManager em, Clock clock) {
        this.texts = texts;
        this.em = em;
        this.clock = clock;
    }

    @Override
    public LifecycleMessage.Kind kind() {
        return LifecycleMessage.Kind.WELCOME;
    }

    @Override
    public int plan(Instant now) {
        return em.createNativeQuery(PLAN).setParameter("now", now).executeUpdate();
    }

    @Override
    public Optional<Mail> compose(Row row, Subscriber reader) {
        LifecycleMessage m = LifecycleMessage.findById(row.messageId());
        if (m == null || !m.enabled) {
            return Optional.empty();
        }
        LifecycleTexts.Rendered rendered = texts.render(new LifecycleTexts.Text(m.subject, m.bodyMarkdown), reader, Map.of(), "");
        return Optional.of(texts.message(rendered, reader.email, reader.id, kind(), row.id()));
    }

    @Transactional
    public Settings settings() {
        return LifecycleMessage.find(LifecycleMessage.Kind.WELCOME)
                .map(m -> new Settings(m.enabled, m.subject, m.bodyMarkdown, m.enabledSince))
                .orElse(new Settings(false, DEFAULT_SUBJECT, DEFAULT_BODY, null));
    }

    /** Saves the welcome; refused naming the field (with the template's line) when it cannot be rendered. */
    @Transactional
    public Settings save(Settings in) {
        Settings checked = check(in);
        Instant now = clock.instant();
        LifecycleMessage m = LifecycleMessage.find(LifecycleMessage.Kind.WELCOME).orElseGet(() -> {
            LifecycleMessage created = new LifecycleMessage();
            created.kind = LifecycleMessage.Kind.WELCOME;
            created.created(now);
            return created;
        });
        if (checked.enabled() && !m.enabled) {
            // from now on: switching it on does not mail every reader already subscribed
            m.enabledSince = now;
        }
        m.enabled = checked.enabled();
        m.subject = checked.subject();
        m.bodyMarkdown = checked.body();
        m.updatedAt = now;
        m.persist();
        return new Settings(m.enabled, m.subject, m.bodyMarkdown, m.enabledSince);
    }

    /** The welcome as typed, stripped, or refused naming the field when it cannot be rendered. */
    public Settings check(Settings in) {
        List<Problem.Violation> problems = texts.problems(in.text(), Map.of());
        if (!problems.isEmpty()) {
            throw new ProblemException(400, "Bad Request", "The welcome mail was not saved.", problems);
        }
        return new Settings(in.enabled(), LifecycleTexts.strip(in.subject()), LifecycleTexts.strip(in.body()), null);
    }

    /** The latest finished imports (10 at most), newest first, with their active readers who have not had the welcome. */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<ImportedReaders> imports() {
        List<Object[]> rows = em.createNativeQuery("""
                select i.id, i.file_name, i.finished_at,
                       (select count(*) from subscriber s where s.import_id = i.id and s.status = 'ACTIVE'
                          and not exists (select 1 from lifecycle_mail l join lifecycle_message m on m.id = l.message_id
                                          where m.kind = 'WELCOME' and l.subscriber_id = s.id))
                from subscriber_import i where i.status = 'DONE' and not i.dry_run
                order by i.id desc limit 10""").getResultList();
        return rows.stream().map(r -> new ImportedReaders(((Number) r[0]).longValue(), (String) r[1],
                r[2] instanceof java.time.OffsetDateTime o ? o.toInstant() : (Instant) r[2], ((Number) r[3]).longValue())).toList();
    }

    /**
     * Sends the welcome to the active readers of an import who have not had it (imported readers get it only when an
     * editor asks); returns how many were planned. Refused while the welcome is switched off.
     */
    @Transactional
    public int welcomeImport(long importId) {
        if (!settings().enabled()) {
            throw new ProblemException(409, "Conflict", "Switch the welcome mail on first: it is off.", List.of());
        }
        return em.createNativeQuery(PLAN_IMPORT).setParameter("now", clock.instant()).setParameter("import", importId)
                .executeUpdate();
    }

    /**
     * The message as the reader with this address would get it (a sample reader, Ana, following every topic, when
     * the address is blank); empty when no reader has it.
     */
    @Transactional
    public Optional<LifecycleTexts.Rendered> preview(Settings settings, String address) {
        return texts.reader(address).map(r -> texts.render(settings.text(), r, Map.of(), ""));
    }

    /** Sends a test of the welcome, as the reader with {@code address} (or the sample reader) would get it, to {@code to}. */
    @Transactional
    public boolean test(Settings settings, String address, String to) {
        Optional<Subscriber> reader = texts.reader(address);
        reader.ifPresent(r -> texts.sendTest(texts.render(settings.text(), r, Map.of(), ""), r.id, kind(), to));
        return reader.isPresent();
    }
}
