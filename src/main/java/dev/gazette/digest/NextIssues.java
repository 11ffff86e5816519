package dev.gazette.digest;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import dev.gazette.article.Article;
import dev.gazette.article.ArticleRenderer;
import dev.gazette.article.ArticleStatus;
import dev.gazette.article.BodyFormat;
import dev.gazette.common.EditorTemplates;
import dev.gazette.common.error.Problem;
import dev.gazette.common.error.ProblemException;
import dev.gazette.mail.HeaderFields;
import dev.gazette.subscriber.SubscribersConfig;
import io.quarkus.logging.Log;

/**
 * The next scheduled issue of a newsletter, made ahead of its first send window so that editors can shape it: an
 * editor's note, a subject template, a preheader, pinned and excluded articles. It is PLANNED until its first delivery
 * is planned ({@code gazette.digest.plan-ahead} before the send time comes in the zone furthest east); then the
 * planner turns it SENDING and it is fixed, so every reader of one issue gets the same edition.
 */
@ApplicationScoped
public class NextIssues {

    /** The values a subject template may use. */
    public static final EditorTemplates SUBJECTS = new EditorTemplates(Set.of("top", "newsletter", "number", "date"));
    static final DateTimeFormatter SUBJECT_DATE = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy", Locale.ENGLISH);
    static final int MAX_NOTE = 20_000;
    static final int MAX_PINS = 10;
    static final int MAX_CANDIDATES = 50;

    /** A pinned article: on top of the digest in pin order, for readers of its topics or for all. */
    public record Pin(long articleId, boolean forAllReaders) {
    }

    /** What an editor sets on an issue; null or empty clears a field. */
    public record Edit(String subject, String preheader, String note, List<Pin> pins, List<Long> excluded) {
    }

    private final DigestConfig config;
    private final SubscribersConfig subscribers;
    private final ArticleRenderer renderer;
    private final DigestAssembler assembler;
    private final Clock clock;
    private final EntityManager em;

    NextIssues(DigestConfig config, SubscribersConfig subscribers, ArticleRenderer renderer, DigestAssembler assembler,
            Clock clock, EntityManager em) {
        this.em = em;
        this.config = config;
        this.subscribers = subscribers;
        this.renderer = renderer;
        this.assembler = assembler;
        this.clock = clock;
    }

    /**
     * The readers the issue will go to if nothing changes before it: active, not paused on its date, of a frequency
     * that gets it, in the newsletter's topics (reads the subscriber tables, as the planner does).
     */
    @Transactional
    public long readersDue(DigestIssue issue) {
        Newsletter n = Newsletter.findWithTopics(issue.newsletterId).orElseThrow();
        boolean weeklyReaders = n.cadence == Cadence.WEEKLY || issue.issueDate.getDayOfWeek() == n.weeklyDay;
        return ((Number) em.createNativeQuery("""
                select count(*) from subscriber s
                where s.status = 'ACTIVE' and (s.paused_until is null or s.paused_until <= ?1)
                  and (?2 or s.frequency = 'DAILY')
                  and (?3 or s.all_topics or exists (select 1 from subscriber_topic st
                                                    where st.subscriber_id = s.id and st.topic_id = any(?4)))
                """).setParameter(1, issue.sendAt).setParameter(2, weeklyReaders).setParameter(3, n.allTopics)
                .setParameter(4, n.topics.stream().map(t -> t.id).toArray(Long[]::new)).getSingleResult()).longValue();
    }

    /**
     * The articles an editor may pin or exclude: those published since the issue's period began in the newsletter's
     * topics, newest first, and any pinned or excluded already.
     */
    @Transactional
    public List<Article> candidates(DigestIssue issue) {
        Newsletter n = Newsletter.findWithTopics(issue.newsletterId).orElseThrow();
        Set<Long> topics = new java.util.HashSet<>(n.topics.stream().map(t -> t.id).toList());
        List<Article> recent = Article.<Article>find("status = ?1 and publishedAt > ?2 order by publishedAt desc, id desc",
                ArticleStatus.PUBLISHED, issue.periodStart.minus(n.cadence.period())).page(0, MAX_CANDIDATES).list();
        Set<Long> chosen = new LinkedHashSet<>(List.of(issue.pinnedIds));
        chosen.addAll(List.of(issue.excludedIds));
        List<Long> ids = new ArrayList<>(chosen);
        for (Article a : recent) {
            if (!chosen.contains(a.id)) {
                ids.add(a.id);
            }
        }
        Map<Long, Article> found = new java.util.HashMap<>();
        for (Article a : Article.withTopics(ids)) {
            found.put(a.id, a);
        }
        return ids.stream().map(found::get).filter(a -> a != null && (n.allTopics || chosen.contains(a.id)
                || a.topics.stream().anyMatch(t -> topics.contains(t.id)))).toList();
    }

    /** When a planned issue stops taking edits: its first delivery is planned then. */
    @Transactional
    public Instant locksAt(DigestIssue issue) {
        return firstDue(issue).minus(config.planAhead());
    }

    /** When the issue's last possible readers (in the zone furthest west) are due to get it. */
    @Transactional
    public Instant lastDue(DigestIssue issue) {
        return SendTimes.lastDue(issue.issueDate, Newsletter.<Newsletter>findById(issue.newsletterId).sendTime);
    }

    /** When the issue's first readers (in the zone furthest east) are due to get it. */
    @Transactional
    public Instant firstDue(DigestIssue issue) {
        return SendTimes.firstDue(issue.issueDate, Newsletter.<Newsletter>findById(issue.newsletterId).sendTime);
    }

    /**
     * The newsletter's next issue, made now if there is none yet (or moved to the next date if the newsletter's
     * schedule changed since it was made); empty for a paused newsletter.
     */
    @Transactional
    public Optional<DigestIssue> next(long newsletterId) {
        Newsletter n = Newsletter.findById(newsletterId, LockModeType.PESSIMISTIC_WRITE);
        if (n == null) {
            throw ProblemException.notFound("Newsletter " + newsletterId);
        }
        if (!n.active) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        LocalDate date = nextDate(n, now);
        Optional<DigestIssue> planned = DigestIssue.findPlanned(n.id);
        DigestIssue issue = planned.orElseGet(DigestIssue::new);
        if (planned.isEmpty()) {
            issue.newsletterId = n.id;
            issue.number = ++n.issueCount;
            issue.kind = IssueKind.SCHEDULED;
            issue.status = IssueStatus.PLANNED;
            issue.createdBy = null;
        } else if (date.equals(issue.issueDate) || !locksAt(issue).isAfter(now)) {
            // locked and about to be sent (the planner takes it at its next run): it stays as it is
            return planned;
        }
        schedule(issue, n, date);
        issue.updatedAt = now;
        if (planned.isEmpty()) {
            issue.created(now);
            issue.persist();
            Log.infof("Issue %d of newsletter %s planned for %s", issue.number, n.slug, date);
        }
        return Optional.of(issue);
    }

    /** Sets the issue's date and what follows from it (used as well when the planner starts sending it). */
    void schedule(DigestIssue issue, Newsletter n, LocalDate date) {
        issue.issueDate = date;
        // The first readers to get it are those furthest east.
        issue.sendAt = SendTimes.earliest(date, n.sendTime);
        issue.periodEnd = SendTimes.at(date, n.sendTime, ZoneId.of(subscribers.defaultTimezone())).toInstant();
        issue.periodStart = issue.periodEnd.minus(n.cadence.period());
        issue.subject = n.name + " – " + SUBJECT_DATE.format(date);
    }

    /** The first sending date whose first delivery is not planned yet and that has no issue going out. */
    private LocalDate nextDate(Newsletter n, Instant now) {
        LocalDate date = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(1);
        while (true) {
            if (SendTimes.isSendingDate(n.cadence, n.weeklyDay, date)
                    && SendTimes.firstDue(date, n.sendTime).minus(config.planAhead()).isAfter(now)) {
                Optional<DigestIssue> existing = DigestIssue.findScheduled(n.id, date);
                if (existing.isEmpty() || existing.get().status == IssueStatus.PLANNED) {
                    return date;
                }
            }
            date = date.plusDays(1);
        }
    }

    /** An issue of this newsletter, or 404. */
    @Transactional
    public DigestIssue ofNewsletter(long newsletterId, long issueId) {
        return DigestIssue.<DigestIssue>findByIdOptional(issueId).filter(i -> i.newsletterId == newsletterId)
                .orElseThrow(() -> ProblemException.notFound("Issue " + issueId + " of newsletter " + newsletterId));
    }

    /** Applies an editor's changes to a planned issue; 409 once it is locked. */
    @Transactional
    public DigestIssue edit(long issueId, Edit edit) {
        DigestIssue issue = DigestIssue.findById(issueId, LockModeType.PESSIMISTIC_WRITE);
        if (issue == null) {
            throw ProblemException.notFound("Issue " + issueId);
        }
        Instant now = clock.instant();
        if (issue.status != IssueStatus.PLANNED || !now.isBefore(locksAt(issue))) {
            Instant locked = issue.issueDate != null ? locksAt(issue) : issue.createdAt;
            throw ProblemException.conflict("issue", "Issue " + issue.number + " can no longer be changed: it locked at "
                    + locked + ", when its first readers' copies were planned, so that every reader gets the same edition.");
        }
        List<Problem.Violation> problems = new ArrayList<>();
        Newsletter n = Newsletter.findById(issue.newsletterId);
        issue.subjectTemplate = subject(edit.subject(), issue, n, problems);
        issue.preheader = preheader(edit.preheader(), problems);
        issue.noteMarkdown = blankToNull(edit.note());
        issue.noteHtml = noteHtml(renderer, issue.noteMarkdown, problems);
        pins(issue, edit, problems);
        if (!problems.isEmpty()) {
            throw new ProblemException(400, "Bad Request", "The issue was not changed.", problems);
        }
        issue.updatedAt = now;
        assembler.clear();
        return issue;
    }

    /**
     * An editor's note (Markdown, already stripped; null for none) as readers see it: rendered and sanitised like an
     * article body; null, with a problem naming {@code note}, when it is too long or too complex.
     */
    static String noteHtml(ArticleRenderer renderer, String note, List<Problem.Violation> problems) {
        if (note == null) {
            return null;
        }
        if (note.length() > MAX_NOTE) {
            problems.add(new Problem.Violation("note", "must be at most " + MAX_NOTE + " characters"));
            return null;
        }
        try {
            return renderer.toSafeHtml(BodyFormat.MARKDOWN, note);
        } catch (ArticleRenderer.TooComplex e) {
            problems.add(new Problem.Violation("note", e.getMessage()));
            return null;
        }
    }

    private static String subject(String value, DigestIssue issue, Newsletter n, List<Problem.Violation> problems) {
        String subject = blankToNull(value);
        if (subject == null) {
            return null;
        }
        if (subject.length() > 300) {
            problems.add(new Problem.Violation("subject", "must be at most 300 characters"));
            return subject;
        }
        String problem = SUBJECTS.problem(subject);
        if (problem != null) {
            problems.add(new Problem.Violation("subject", problem));
            return subject;
        }
        // rendered once with sample values: what it gives must fit in a mail header
        String sample = renderSubject(subject, "A headline", n.name, issue.number, issue.issueDate);
        if (HeaderFields.firstUnfit(Map.of("subject", sample)).isPresent() || sample.isBlank()) {
            problems.add(new Problem.Violation("subject", "must give one line of text (no line breaks or control characters)"));
        }
        return subject;
    }

    /** A subject template rendered for one reader. */
    static String renderSubject(String template, String top, String newsletter, int number, LocalDate date) {
        return SUBJECTS.render(template, Map.of("top", top, "newsletter", newsletter, "number", number,
                "date", date == null ? "" : SUBJECT_DATE.format(date))).strip();
    }

    private static String preheader(String value, List<Problem.Violation> problems) {
        String preheader = blankToNull(value);
        if (preheader == null) {
            return null;
        }
        if (preheader.length() > 300) {
            problems.add(new Problem.Violation("preheader", "must be at most 300 characters"));
        } else {
            HeaderFields.check("preheader", preheader, problems);
        }
        return preheader;
    }

    private static void pins(DigestIssue issue, Edit edit, List<Problem.Violation> problems) {
        List<Pin> pins = edit.pins() == null ? List.of() : edit.pins();
        Set<Long> excluded = new LinkedHashSet<>(edit.excluded() == null ? List.of() : edit.excluded());
        Set<Long> seen = new LinkedHashSet<>();
        List<Long> ids = new ArrayList<>();
        List<Boolean> forAll = new ArrayList<>();
        for (Pin pin : pins) {
            if (!seen.add(pin.articleId())) {
                continue;
            }
            Article a = Article.findById(pin.articleId());
            if (a == null || a.status != ArticleStatus.PUBLISHED) {
                problems.add(new Problem.Violation("pins", "article " + pin.articleId()
                        + (a == null ? " does not exist" : " (" + a.title + ") is not published") + ": only published articles can be pinned"));
            } else if (excluded.contains(pin.articleId())) {
                problems.add(new Problem.Violation("pins", a.title + " is both pinned and excluded: choose one"));
            }
            ids.add(pin.articleId());
            forAll.add(pin.forAllReaders());
        }
        if (ids.size() > MAX_PINS) {
            problems.add(new Problem.Violation("pins", "at most " + MAX_PINS + " articles can be pinned"));
        }
        for (Long id : excluded) {
            if (Article.findById(id) == null) {
                problems.add(new Problem.Violation("excluded", "article " + id + " does not exist"));
            }
        }
        issue.pinnedIds = ids.toArray(Long[]::new);
        issue.pinnedForAll = forAll.toArray(Boolean[]::new);
        issue.excludedIds = excluded.toArray(Long[]::new);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
