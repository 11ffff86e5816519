package dev.gazette.lifecycle.mail;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.gazette.common.error.Problem;
import dev.gazette.common.error.ProblemException;
import dev.gazette.link.LinkContextType;
import dev.gazette.link.LinkReports;
import dev.gazette.subscriber.Subscriber;

/**
 * The onboarding sequence as editors write it: its steps (a day after confirmation, a message, optionally the latest
 * articles of the reader's topics), the sequence's send time and link tracking, and each step's progress. The
 * steps are sent by {@link OnboardingFlow}.
 */
@ApplicationScoped
public class OnboardingSteps {

    static final int MAX_DELAY = 365;
    static final int MAX_ARTICLES = 20;
    static final int MAX_STEPS = 50;
    static final LocalTime DEFAULT_SEND_TIME = LocalTime.of(9, 0);

    /** A step as typed. */
    public record StepInput(boolean enabled, String delayDays, String subject, String body, String latestArticles) {
        public static StepInput of(LifecycleMessage m) {
            return new StepInput(m.enabled, String.valueOf(m.delayDays), m.subject, m.bodyMarkdown, String.valueOf(m.latestArticles));
        }
    }

    /** What a step did: readers who reached it (planned), got it, were skipped, have it still on its way, clicked in it. */
    public record Progress(long reached, long sent, long skipped, long failed, long waiting, long clicked) {
        static final Progress NONE = new Progress(0, 0, 0, 0, 0, 0);

        public long skippedOrFailed() {
            return skipped + failed;
        }
    }

    /** A saved step with its progress. */
    public record Step(long id, boolean enabled, int delayDays, String subject, int latestArticles, Instant enabledSince,
            Progress progress) {
    }

    /** The sequence's settings: the local time of day steps go out, and whether their article links are tracked. */
    public record Settings(LocalTime sendTime, boolean trackLinks) {
    }

    private record Checked(boolean enabled, int delayDays, String subject, String body, int latestArticles) {
    }

    private final OnboardingFlow flow;
    private final LifecycleTexts texts;
    private final LinkReports links;
    private final EntityManager em;
    private final Clock clock;

    OnboardingSteps(OnboardingFlow flow, LifecycleTexts texts, LinkReports links, EntityManager em, Clock clock) {
        this.flow = flow;
        this.texts = texts;
        this.links = links;
        this.em = em;
        this.clock = clock;
    }

    /** The steps in the order readers get them (by day), with their progress. */
    @Transactional
    public List<Step> list() {
        List<LifecycleMessage> steps = LifecycleMessage.list("kind = ?1 order by delayDays, id", LifecycleMessage.Kind.STEP);
        Map<Long, Progress> progress = progress();
        Map<Long, Long> clicked = links.clickers(LinkContextType.LIFECYCLE_MESSAGE, steps.stream().map(s -> s.id).toList());
        return steps.stream().map(m -> {
            Progress p = progress.getOrDefault(m.id, Progress.NONE);
            return new Step(m.id, m.enabled, m.delayDays, m.subject, m.latestArticles, m.enabledSince,
                    new Progress(p.reached(), p.sent(), p.skipped(), p.failed(), p.waiting(), clicked.getOrDefault(m.id, 0L)));
        }).toList();
    }

    private Map<Long, Progress> progress() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select l.message_id, count(*), count(*) filter (where l.status = 'SENT'),
                       count(*) filter (where l.status = 'SKIPPED'), count(*) filter (where l.status = 'FAILED'),
                       count(*) filter (where l.status in ('PENDING', 'RETRY'))
                from lifecycle_mail l join lifecycle_message m on m.id = l.message_id
                where m.kind = 'STEP' group by l.message_id""").getResultList();
        Map<Long, Progress> map = new HashMap<>();
        for (Object[] r : rows) {
            map.put(((Number) r[0]).longValue(), new Progress(((Number) r[1]).longValue(), ((Number) r[2]).longValue(),
                    ((Number) r[3]).longValue(), ((Number) r[4]).longValue(), ((Number) r[5]).longValue(), 0));
        }
        return map;
    }

    /** A step as saved, for its form. */
    @Transactional
    public Optional<StepInput> find(long id) {
        return step(id).map(StepInput::of);
    }

    private static Optional<LifecycleMessage> step(long id) {
        return LifecycleMessage.<LifecycleMessage>findByIdOptional(id).filter(m -> m.kind == LifecycleMessage.Kind.STEP);
    }

    /** Adds a step; refused naming the field when a value or the text cannot be used. */
    @Transactional
    public long create(StepInput in) {
        Checked c = check(in);
        if (LifecycleMessage.count("kind", LifecycleMessage.Kind.STEP) >= MAX_STEPS) {
            throw new ProblemException(409, "Conflict", "A sequence has " + MAX_STEPS + " steps at most.",
                    List.of(new Problem.Violation("delayDays", "the sequence already has " + MAX_STEPS + " steps")));
        }
        LifecycleMessage m = new LifecycleMessage();
        m.kind = LifecycleMessage.Kind.STEP;
        m.created(clock.instant());
        apply(m, c);
        m.persist();
        return m.id;
    }

    /** Saves a step: readers who have not reached it get it as saved now; empty when there is no such step. */
    @Transactional
    public boolean update(long id, StepInput in) {
        Checked c = check(in);
        Optional<LifecycleMessage> step = step(id);
        step.ifPresent(m -> {
            apply(m, c);
            m.updatedAt = clock.instant();
        });
        return step.isPresent();
    }

    private void apply(LifecycleMessage m, Checked c) {
        if (c.enabled() && (!m.enabled || !java.util.Objects.equals(m.delayDays, c.delayDays()))) {
            // readers who reach it from now on get it; those who passed its day while it was off, or before its day
            // was moved, do not (moving day 10 to day 3 would otherwise mail a week of readers at once)
            m.enabledSince = clock.instant();
        }
        m.enabled = c.enabled();
        m.delayDays = c.delayDays();
        m.subject = c.subject();
        m.bodyMarkdown = c.body();
        m.latestArticles = c.latestArticles();
    }

    /** Deletes a step with its history; readers who have not reached it will not get it. */
    @Transactional
    public boolean delete(long id) {
        return step(id).map(m -> {
            m.delete();
            return true;
        }).orElse(false);
    }

    private Checked check(StepInput in) {
        List<Problem.Violation> problems = new ArrayList<>();
        int delay = number(in.delayDays(), "delayDays", 0, MAX_DELAY, problems);
        int latest = in.latestArticles() == null || in.latestArticles().isBlank() ? 0
                : number(in.latestArticles(), "latestArticles", 0, MAX_ARTICLES, problems);
        problems.addAll(texts.problems(new LifecycleTexts.Text(in.subject(), in.body()), Map.of()));
        if (!problems.isEmpty()) {
            throw new ProblemException(400, "Bad Request", "The step was not saved.", problems);
        }
        return new Checked(in.enabled(), delay, LifecycleTexts.strip(in.subject()), LifecycleTexts.strip(in.body()), latest);
    }

    private static int number(String value, String field, int min, int max, List<Problem.Violation> problems) {
        try {
            int n = Integer.parseInt(value == null ? "" : value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(new Problem.Violation(field, "must be a whole number from " + min + " to " + max));
        return min;
    }

    @Transactional
    public Settings settings() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select send_time, track_links from lifecycle_settings where id = 1")
                .getResultList();
        if (rows.isEmpty()) {
            return new Settings(DEFAULT_SEND_TIME, true);
        }
        Object time = rows.get(0)[0];
        return new Settings(time instanceof java.sql.Time t ? t.toLocalTime() : (LocalTime) time, (Boolean) rows.get(0)[1]);
    }

    /** Saves the send time ("HH:MM", in each reader's zone) and link tracking; refused naming the field. */
    @Transactional
    public Settings saveSettings(String sendTime, boolean trackLinks) {
        LocalTime time;
        try {
            time = LocalTime.parse(sendTime == null ? "" : sendTime.strip());
        } catch (DateTimeParseException e) {
            throw new ProblemException(400, "Bad Request", "The sequence settings were not saved.",
                    List.of(new Problem.Violation("sendTime", "must be a time of day such as 09:00")));
        }
        em.createNativeQuery("""
                insert into lifecycle_settings (id, send_time, track_links, updated_at) values (1, :time, :track, :now)
                on conflict (id) do update set send_time = excluded.send_time, track_links = excluded.track_links,
                    updated_at = excluded.updated_at""")
                .setParameter("time", time).setParameter("track", trackLinks).setParameter("now", clock.instant()).executeUpdate();
        return new Settings(time, trackLinks);
    }

    /** The step as typed, as the reader with this address (or the sample reader) would get it; empty for no such reader. */
    @Transactional
    public Optional<LifecycleTexts.Rendered> preview(StepInput in, String address) {
        Checked c = check(in);
        return texts.reader(address).map(r -> flow.render(draft(c), new LifecycleTexts.Text(c.subject(), c.body()), r, null));
    }

    /** Sends a test of the step as typed to {@code to}; false when no reader has {@code address}. */
    @Transactional
    public boolean test(StepInput in, String address, String to) {
        Checked c = check(in);
        Optional<Subscriber> reader = texts.reader(address);
        reader.ifPresent(r -> texts.sendTest(flow.render(draft(c), new LifecycleTexts.Text(c.subject(), c.body()), r, null), r.id,
                LifecycleMessage.Kind.STEP, to));
        return reader.isPresent();
    }

    private static LifecycleMessage draft(Checked c) {
        LifecycleMessage m = new LifecycleMessage();
        m.kind = LifecycleMessage.Kind.STEP;
        m.latestArticles = c.latestArticles();
        m.delayDays = c.delayDays();
        return m;
    }
}
