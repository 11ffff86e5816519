package dev.gazette.lifecycle.mail;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import dev.gazette.common.config.SiteConfig;
import dev.gazette.link.LinkContextType;
import dev.gazette.link.ReaderClicks;
import dev.gazette.link.TrackedLinkService;
import dev.gazette.link.Utm;
import dev.gazette.subscriber.Subscriber;
import io.quarkus.logging.Log;
import io.quarkus.mailer.Mail;

/**
 * The onboarding sequence: its steps go out a number of days after a reader confirmed, at the sequence's send time in
 * the reader's time zone. A step's row is planned when it falls due, not before, so an edit to a step (its text, its
 * day, switching it off) applies to every reader who has not reached it yet; a reader who reached a step before it
 * was switched on does not get it. Imported readers are not onboarded (they are not new). A step more than
 * {@link #CATCH_UP_DAYS} days overdue (Gazette was down that long) is not sent any more: it would arrive out of place.
 */
@ApplicationScoped
public class OnboardingFlow implements LifecycleFlow {

    static final int CATCH_UP_DAYS = 7;

    /*
     * One statement per step and time zone: the readers of that zone who confirmed on the local days whose step falls
     * due in the window. The days are worked out here, with the JDK's rules, not in SQL: PostgreSQL reads offset zones
     * such as "+05:00" as POSIX zones, with the sign reversed, and may not know a zone the JDK knows.
     */
    private static final String ZONES = """
            select distinct s.timezone from subscriber s
            where s.status = 'ACTIVE' and s.confirmed_at >= :from and s.confirmed_at < :to""";

    private static final String PLAN = """
            insert into lifecycle_mail (message_id, subscriber_id, status, due_at, created_at, updated_at)
            select :step, s.id, 'PENDING', :now, :now, :now from subscriber s
            where s.status = 'ACTIVE' and s.consent_source <> 'IMPORT' and s.timezone = :zone
              and s.confirmed_at >= :from and s.confirmed_at < :to
            on conflict (message_id, subscriber_id, occasion) do nothing""";

    private final LifecycleTexts texts;
    private final TrackedLinkService trackedLinks;
    private final ReaderClicks readerClicks;
    private final SiteConfig site;
    private final EntityManager em;

    OnboardingFlow(LifecycleTexts texts, TrackedLinkService trackedLinks, ReaderClicks readerClicks, SiteConfig site,
            EntityManager em) {
        this.texts = texts;
        this.trackedLinks = trackedLinks;
        this.readerClicks = readerClicks;
        this.site = site;
        this.em = em;
    }

    @Override
    public LifecycleMessage.Kind kind() {
        return LifecycleMessage.Kind.STEP;
    }

    @Override
    public int plan(Instant now) {
        List<LifecycleMessage> steps = LifecycleMessage.list("kind = ?1 and enabled = true", LifecycleMessage.Kind.STEP);
        if (steps.isEmpty()) {
            return 0;
        }
        LocalTime sendTime = sendTime();
        int planned = 0;
        for (LifecycleMessage step : steps) {
            Instant lower = step.enabledSince.isAfter(now.minus(Duration.ofDays(CATCH_UP_DAYS))) ? step.enabledSince
                    : now.minus(Duration.ofDays(CATCH_UP_DAYS));
            // a reader due in [lower, now] confirmed within a day and a half of their step's day minus the delay
            Instant from = lower.minus(Duration.ofDays(step.delayDays + 2L));
            Instant to = now.minus(Duration.ofDays(step.delayDays - 2L));
            @SuppressWarnings("unchecked")
            List<String> zones = em.createNativeQuery(ZONES).setParameter("from", from).setParameter("to", to).getResultList();
            for (String name : zones) {
                Optional<Instant[]> confirmed = confirmedBetween(name, step.delayDays, sendTime, lower, now);
                if (confirmed.isPresent()) {
                    planned += em.createNativeQuery(PLAN).setParameter("step", step.id).setParameter("now", now)
                            .setParameter("zone", name).setParameter("from", confirmed.get()[0])
                            .setParameter("to", confirmed.get()[1]).executeUpdate();
                }
            }
        }
        return planned;
    }

    /**
     * When readers of this zone confirmed if the step, {@code delay} days after their local confirmation day at the send
     * time of their zone, falls due in {@code [lower, now]}: from the start of the first such local day to the start of
     * the day after the last (a step's due time grows with the day, so the days are consecutive). Empty when there is
     * none, or the zone is not one Gazette can read.
     */
    static Optional<Instant[]> confirmedBetween(String name, int delay, LocalTime sendTime, Instant lower, Instant now) {
        ZoneId zone;
        try {
            zone = ZoneId.of(name);
        } catch (DateTimeException e) {
            Log.warnf("Onboarding: readers with the time zone \"%s\" are left out, it is not a zone", name);
            return Optional.empty();
        }
        LocalDate first = null;
        LocalDate last = null;
        LocalDate day = lower.atZone(zone).toLocalDate().minusDays(delay + 1L);
        LocalDate end = now.atZone(zone).toLocalDate().minusDays(delay - 1L);
        for (; !day.isAfter(end); day = day.plusDays(1)) {
            Instant due = ZonedDateTime.of(day.plusDays(delay), sendTime, zone).toInstant();
            if (!due.isBefore(lower) && !due.isAfter(now)) {
                first = first == null ? day : first;
                last = day;
            }
        }
        return first == null ? Optional.empty()
                : Optional.of(new Instant[] { first.atStartOfDay(zone).toInstant(), last.plusDays(1).atStartOfDay(zone).toInstant() });
    }

    private LocalTime sendTime() {
        Object time = em.createNativeQuery("select send_time from lifecycle_settings where id = 1").getResultStream().findFirst()
                .orElse(null);
        return time instanceof java.sql.Time t ? t.toLocalTime() : time instanceof LocalTime l ? l : OnboardingSteps.DEFAULT_SEND_TIME;
    }

    @Override
    public Optional<Mail> compose(Row row, Subscriber reader) {
        LifecycleMessage step = LifecycleMessage.findById(row.messageId());
        if (step == null || !step.enabled) {
            return Optional.empty();
        }
        return Optional.of(texts.message(render(step, stepText(step), reader, row.now()), reader.email, reader.id, kind(), row.id()));
    }

    static LifecycleTexts.Text stepText(LifecycleMessage step) {
        return new LifecycleTexts.Text(step.subject, step.bodyMarkdown);
    }

    /**
     * The step as this reader gets it ({@code text} as saved or as typed): the editor's text, then the latest articles
     * of the reader's topics when the step asks for them. When it is sent ({@code sentAt}; null for a preview or a test)
     * and the sequence tracks links, those links are tracked for the step and carry the reader's click token, so a
     * click counts as the reader's activity.
     */
    LifecycleTexts.Rendered render(LifecycleMessage step, LifecycleTexts.Text text, Subscriber reader, Instant sentAt) {
        String appendix = "";
        if (step.latestArticles > 0) {
            boolean tracked = sentAt != null && step.id != null && trackLinks();
            appendix = latest(reader, step.latestArticles, tracked ? readerClicks.tagger(reader.id, sentAt) : null,
                    tracked ? step.id : null);
        }
        return texts.render(text, reader, Map.of(), appendix);
    }

    private boolean trackLinks() {
        return Boolean.TRUE.equals(em.createNativeQuery("select track_links from lifecycle_settings where id = 1")
                .getResultStream().findFirst().orElse(Boolean.TRUE));
    }

    /** The latest published articles of the reader's topics (all, for a reader of every topic) as a Markdown list. */
    String latest(Subscriber reader, int limit, ReaderClicks.Tagger tagger, Long trackFor) {
        boolean every = reader.allTopics || reader.id == null || reader.id == 0L;
        jakarta.persistence.Query query = em.createNativeQuery(every ? """
                select a.title, a.slug, a.summary from article a where a.status = 'PUBLISHED'
                order by a.published_at desc, a.id desc limit :limit""" : """
                select a.title, a.slug, a.summary from article a where a.status = 'PUBLISHED'
                  and exists (select 1 from article_topic t join subscriber_topic st on st.topic_id = t.topic_id
                              where t.article_id = a.id and st.subscriber_id = :reader)
                order by a.published_at desc, a.id desc limit :limit""").setParameter("limit", limit);
        if (!every) {
            query.setParameter("reader", reader.id);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        if (rows.isEmpty()) {
            return "";
        }
        List<String> items = new ArrayList<>();
        for (Object[] r : rows) {
            String title = escape((String) r[0]);
            String url = site.baseUrl() + "/articles/" + r[1];
            if (trackFor != null) {
                url = tagger.url(trackedLinks.shortUrl(trackedLinks.create(url, LinkContextType.LIFECYCLE_MESSAGE, trackFor,
                        (String) r[1], new Utm("onboarding", "email", "onboarding-" + trackFor, null, null))));
            }
            String summary = r[2] == null ? "" : " — " + escape(((String) r[2]).strip());
            items.add("- [" + title + "](" + url + ")" + summary);
        }
        return "**Latest articles**\n\n" + String.join("\n", items);
    }

    /** Markdown-escapes text from an article, so a title cannot add links or formatting of its own. */
    private static String escape(String s) {
        return s.replaceAll("([\\\\`*_\\[\\]()<>#!|~])", "\\\\$1").replaceAll("\\R", " ");
    }
}
