package dev.gazette.digest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.hibernate.Session;

import dev.gazette.article.Article;
import dev.gazette.article.ArticleRenderer;
import dev.gazette.article.ArticleStatus;
import dev.gazette.article.Topic;
import dev.gazette.common.error.Problem;
import dev.gazette.common.error.ProblemException;
import dev.gazette.mail.HeaderFields;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.logging.Log;

/**
 * Special editions: a one-off issue of a newsletter with chosen articles and a note, for every reader of the
 * newsletter or only the readers of some topics, sent now or at a local time in each reader's own zone. Numbered on
 * their own ("Special edition No. 3") and counted, tracked and reported like any issue; they do not count as a
 * reader's previous digest, so the next regular digest still covers everything since the last regular one.
 */
@ApplicationScoped
public class SpecialEditions {

    static final int MAX_ARTICLES = 20;
    static final Duration MAX_AHEAD = Duration.ofDays(14);

    /**
     * The readers: active, in the newsletter's topics, in one of the chosen topics when some are chosen, and not
     * pausing their mail at their due time. Due now, or at the local time in the reader's zone (now if that has
     * passed there). Positions: 1-3 the local time (null for now) and now twice, 4 newsletter covers all, 5 its topic
     * ids, 6-7 the chosen topic ids.
     */
    private static final String AUDIENCE = """
            from subscriber s
            cross join lateral (select case when ?::timestamp is null then ?::timestamptz
                                            else greatest(?::timestamp at time zone s.timezone, ?::timestamptz) end as due) d
            where s.status = 'ACTIVE' and (s.paused_until is null or s.paused_until <= d.due)
              and (? or s.all_topics or exists (select 1 from subscriber_topic st
                                                where st.subscriber_id = s.id and st.topic_id = any(?)))
              and (cardinality(?::bigint[]) = 0 or s.all_topics or exists (select 1 from subscriber_topic st
                                                where st.subscriber_id = s.id and st.topic_id = any(?)))""";

    /** What an editor asks for; {@code localTime} null: now. */
    public record Edition(String subject, String note, List<Long> articleIds, List<String> topics, LocalDateTime localTime) {
    }

    /** Who an edition would go to. */
    public record Audience(long newsletterId, String newsletter, int number, long recipients, List<String> topics) {
    }

    private record Checked(Newsletter newsletter, String subject, String noteHtml, List<Article> articles, List<Topic> topics,
            LocalDateTime localTime) {
    }

    private final ArticleRenderer renderer;
    private final Clock clock;

    SpecialEditions(ArticleRenderer renderer, Clock clock) {
        this.renderer = renderer;
        this.clock = clock;
    }

    /** How many readers the edition would reach now (the number the editor confirms). */
    @Transactional
    public Audience audience(long newsletterId, Edition edition) {
        Checked c = check(newsletterId, edition, false);
        long recipients = Panache.getEntityManager().unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement count = connection.prepareStatement("select count(*)\n" + AUDIENCE)) {
                bind(connection, count, 1, c);
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        return new Audience(c.newsletter().id, c.newsletter().name, c.newsletter().specialCount + 1, recipients,
                c.topics().stream().map(t -> t.name).toList());
    }

    /**
     * Sends the edition: the issue and one ledger row per reader, in one transaction. {@code expectedRecipients} and
     * {@code expectedNumber} are what the editor confirmed: when the audience changed, or the edition was sent
     * already (a repeated confirmation), nothing is sent and the answer is 409 naming the field.
     */
    @Transactional
    public IssueService.Progress send(long newsletterId, Edition edition, String createdBy, Long expectedRecipients,
            Integer expectedNumber) {
        Checked c = check(newsletterId, edition, true);
        Newsletter n = c.newsletter();
        if (expectedNumber != null && n.specialCount + 1 != expectedNumber) {
            throw ProblemException.conflict("expectedNumber", "Special edition No. " + n.specialCount + " of " + n.name
                    + " was sent after this one was confirmed, so nothing was sent again. Check the issues and confirm anew.");
        }
        Instant now = clock.instant();
        DigestIssue issue = new DigestIssue();
        issue.newsletterId = n.id;
        issue.number = ++n.specialCount;
        issue.kind = IssueKind.SPECIAL;
        issue.status = IssueStatus.SENDING;
        // the first readers to get it: now, or where the local time comes first
        issue.sendAt = c.localTime() == null ? now : max(c.localTime().toInstant(ZoneOffset.ofHours(14)), now);
        issue.periodStart = now;
        issue.periodEnd = now;
        issue.subject = c.subject();
        issue.noteMarkdown = blankToNull(edition.note());
        issue.noteHtml = c.noteHtml();
        issue.pinnedIds = c.articles().stream().map(a -> a.id).toArray(Long[]::new);
        issue.pinnedForAll = c.articles().stream().map(a -> Boolean.TRUE).toArray(Boolean[]::new);
        issue.audienceTopicIds = c.topics().stream().map(t -> t.id).toArray(Long[]::new);
        issue.createdBy = createdBy;
        issue.created(now);
        issue.persist();
        Session session = Panache.getEntityManager().unwrap(Session.class);
        session.flush();
        int created = session.doReturningWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into delivery (issue_id, subscriber_id, status, due_at, ready_at)
                    select ?, s.id, 'PENDING', d.due, d.due
                    """ + AUDIENCE + "\non conflict (issue_id, subscriber_id) do nothing")) {
                insert.setLong(1, issue.id);
                bind(connection, insert, 2, c);
                int inserted = insert.executeUpdate();
                DeliveryLedger.analyze(connection, inserted);
                return inserted;
            }
        });
        // compared with the rows written: the exception rolls the whole edition back
        if (expectedRecipients != null && created != expectedRecipients) {
            throw ProblemException.conflict("expectedRecipients", "The special edition would now go to " + created
                    + " readers, not " + expectedRecipients + ": nothing was sent. Current count: " + created + ".");
        }
        Log.infof("Special edition %d of newsletter %s: %d deliveries, %s", issue.number, n.slug, created,
                c.localTime() == null ? "due now" : "due at " + c.localTime() + " in each reader's zone");
        Map<DeliveryStatus, Long> counts = new EnumMap<>(DeliveryStatus.class);
        counts.put(DeliveryStatus.PENDING, (long) created);
        return new IssueService.Progress(issue, counts, 0, 0);
    }

    private Checked check(long newsletterId, Edition e, boolean lock) {
        Newsletter n = lock ? Newsletter.findById(newsletterId, LockModeType.PESSIMISTIC_WRITE) : Newsletter.findById(newsletterId);
        if (n == null) {
            throw ProblemException.notFound("Newsletter " + newsletterId);
        }
        List<Problem.Violation> problems = new ArrayList<>();
        String subject = blankToNull(e.subject());
        if (subject == null) {
            problems.add(new Problem.Violation("subject", "must not be blank: readers see it in their inbox"));
        } else if (subject.length() > 300) {
            problems.add(new Problem.Violation("subject", "must be at most 300 characters"));
        } else {
            HeaderFields.check("subject", subject, problems);
        }
        String noteHtml = NextIssues.noteHtml(renderer, blankToNull(e.note()), problems);
        List<Article> articles = new ArrayList<>();
        List<Long> ids = e.articleIds() == null ? List.of() : List.copyOf(new LinkedHashSet<>(e.articleIds()));
        if (ids.isEmpty()) {
            problems.add(new Problem.Violation("articleIds", "choose at least one article"));
        } else if (ids.size() > MAX_ARTICLES) {
            problems.add(new Problem.Violation("articleIds", "at most " + MAX_ARTICLES + " articles"));
        }
        for (Long id : ids) {
            Article a = id == null ? null : Article.findById(id);
            if (a == null || a.status != ArticleStatus.PUBLISHED) {
                problems.add(new Problem.Violation("articleIds", "article " + id + (a == null ? " does not exist"
                        : " (" + a.title + ") is not published") + ": only published articles go into an edition"));
            } else {
                articles.add(a);
            }
        }
        List<Topic> topics = new ArrayList<>();
        for (String slug : e.topics() == null ? List.<String>of() : e.topics()) {
            Topic.findBySlug(slug).ifPresentOrElse(topics::add,
                    () -> problems.add(new Problem.Violation("topics", "there is no topic " + slug)));
        }
        LocalDateTime at = e.localTime();
        if (at != null) {
            Instant now = clock.instant();
            // the last place on earth where that local time comes: UTC-12
            if (at.toInstant(ZoneOffset.ofHours(-12)).isBefore(now)) {
                problems.add(new Problem.Violation("localTime", "has passed everywhere: choose a later time, or send now"));
            } else if (at.toInstant(ZoneOffset.ofHours(14)).isAfter(now.plus(MAX_AHEAD))) {
                problems.add(new Problem.Violation("localTime", "is more than " + MAX_AHEAD.toDays()
                        + " days ahead: schedule it closer to the day"));
            }
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(400, "Bad Request", "The special edition was not sent.", problems);
        }
        return new Checked(n, subject, noteHtml, articles, topics, at);
    }

    private void bind(Connection connection, PreparedStatement statement, int first, Checked c) throws SQLException {
        Timestamp now = Timestamp.from(clock.instant());
        // a date and time without a zone: PostgreSQL places it in each reader's zone
        statement.setObject(first, c.localTime(), Types.TIMESTAMP);
        statement.setTimestamp(first + 1, now);
        statement.setObject(first + 2, c.localTime(), Types.TIMESTAMP);
        statement.setTimestamp(first + 3, now);
        statement.setBoolean(first + 4, c.newsletter().allTopics);
        statement.setArray(first + 5, connection.createArrayOf("bigint",
                c.newsletter().topics.stream().map(t -> t.id).toArray(Long[]::new)));
        Long[] chosen = c.topics().stream().map(t -> t.id).toArray(Long[]::new);
        statement.setArray(first + 6, connection.createArrayOf("bigint", chosen));
        statement.setArray(first + 7, connection.createArrayOf("bigint", chosen));
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
