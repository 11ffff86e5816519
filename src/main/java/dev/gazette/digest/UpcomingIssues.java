package dev.gazette.digest;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Each active newsletter's next issue as its readers will get it: the date, and the window in which it goes out as the
 * send time arrives in each time zone its readers live in.
 */
@ApplicationScoped
public class UpcomingIssues {

    /** The zones active readers live in (reads the subscriber table: see docs/architecture.md). */
    private static final String READER_ZONES = "select distinct timezone from subscriber where status = 'ACTIVE'";

    /** One newsletter's next issue. */
    public record Upcoming(String newsletter, long newsletterId, LocalDate date, String sendTime, Instant first, Instant last,
            int zones) {
    }

    private final EntityManager em;

    UpcomingIssues(EntityManager em) {
        this.em = em;
    }

    /** The next issue of every active newsletter that has readers, by newsletter name. */
    @Transactional
    public List<Upcoming> list(Instant now) {
        @SuppressWarnings("unchecked")
        List<ZoneId> zones = ((List<String>) em.createNativeQuery(READER_ZONES).getResultList()).stream()
                .map(UpcomingIssues::zone).filter(Objects::nonNull).toList();
        List<Upcoming> next = new ArrayList<>();
        if (zones.isEmpty()) {
            return next;
        }
        for (Newsletter n : Newsletter.<Newsletter>list("active = true order by name")) {
            SendTimes.nextWindow(n.cadence, n.weeklyDay, n.sendTime, zones, now).ifPresent(w -> next.add(
                    new Upcoming(n.name, n.id, w.date(), n.sendTime.toString(), w.first(), w.last(), w.zones())));
        }
        return next;
    }

    private static ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            return null;
        }
    }
}
