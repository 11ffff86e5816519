package dev.gazette.digest;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The send-time rule, in one place for the planner, the dashboard and the newsletter pages: a newsletter goes out on
 * its sending dates (every day, or its weekly day) at its local send time in each reader's zone, resolved with the
 * JDK's zone rules ({@code date.atTime(t).atZone(zone)}): so it follows summer time, a send time that falls in the
 * spring gap moves forward by the gap, and one in the autumn overlap takes the earlier (summer) offset.
 */
public final class SendTimes {

    /** The zones the editor UI shows. */
    public static final List<ZoneId> EXAMPLE_ZONES = List.of(ZoneId.of("America/New_York"), ZoneId.of("Europe/Paris"),
            ZoneId.of("Asia/Tokyo"), ZoneId.of("UTC"));

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm zzz", Locale.ENGLISH);
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    /** Far enough for any weekly date, with room for the day before today. */
    private static final int SEARCH_DAYS = 16;

    private SendTimes() {
    }

    /** Whether a newsletter of this cadence goes out on this date. */
    public static boolean isSendingDate(Cadence cadence, DayOfWeek weeklyDay, LocalDate date) {
        return cadence != Cadence.WEEKLY || date.getDayOfWeek() == weeklyDay;
    }

    /** The send time of a date for a reader in a zone. */
    public static ZonedDateTime at(LocalDate date, LocalTime sendTime, ZoneId zone) {
        return date.atTime(sendTime).atZone(zone);
    }

    /** The first moment any reader's send time of a date can come: in the zone furthest east (UTC+14). */
    public static Instant earliest(LocalDate date, LocalTime sendTime) {
        return date.atTime(sendTime).toInstant(ZoneOffset.MAX);
    }

    /** The first moment a reader's send time of a date comes, over every time zone there is (the planner's list). */
    public static Instant firstDue(LocalDate date, LocalTime sendTime) {
        return dues(date, sendTime).min(Instant::compareTo).orElseThrow();
    }

    /** The last moment a reader's send time of a date comes, over every time zone there is. */
    public static Instant lastDue(LocalDate date, LocalTime sendTime) {
        return dues(date, sendTime).max(Instant::compareTo).orElseThrow();
    }

    private static java.util.stream.Stream<Instant> dues(LocalDate date, LocalTime sendTime) {
        return ZoneId.getAvailableZoneIds().stream().map(id -> at(date, sendTime, ZoneId.of(id)).toInstant());
    }

    /** A date's issue as it sweeps around the world: its first and last send instants over the readers' zones. */
    public record Window(LocalDate date, Instant first, Instant last, int zones) {
    }

    /**
     * The next sending date (from yesterday in UTC, over the coming week and a half) whose send time is still ahead
     * in at least one of {@code zones}, with the window in which it reaches them; empty without zones.
     */
    public static Optional<Window> nextWindow(Cadence cadence, DayOfWeek weeklyDay, LocalTime sendTime,
            Collection<ZoneId> zones, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        for (LocalDate date = today.minusDays(1); date.isBefore(today.plusDays(9)); date = date.plusDays(1)) {
            if (!isSendingDate(cadence, weeklyDay, date)) {
                continue;
            }
            LocalDate day = date;
            List<Instant> dues = zones.stream().map(z -> at(day, sendTime, z).toInstant()).filter(i -> i.isAfter(now))
                    .sorted().toList();
            if (!dues.isEmpty()) {
                return Optional.of(new Window(date, dues.get(0), dues.get(dues.size() - 1), dues.size()));
            }
        }
        return Optional.empty();
    }

    /** One send instant, as the reader's clock and as UTC. */
    public record Run(ZonedDateTime local, Instant utc) {

        /** e.g. {@code Sun 8 Mar 2026, 07:00 EDT}. */
        public String localText() {
            return LOCAL.format(local);
        }

        /** e.g. {@code Sun 8 Mar 2026, 11:00 UTC}. */
        public String utcText() {
            return UTC.format(utc);
        }
    }

    /** The next runs for readers in one zone. */
    public record Zone(String zone, List<Run> runs) {
    }

    /**
     * The next {@code count} send instants strictly after {@code now} for a reader in {@code zone}: every day for a
     * daily newsletter, on {@code weeklyDay} for a weekly one.
     */
    public static List<Run> next(Cadence cadence, DayOfWeek weeklyDay, LocalTime sendTime, ZoneId zone, Instant now, int count) {
        if (cadence == Cadence.WEEKLY && weeklyDay == null) {
            throw new IllegalArgumentException("A weekly newsletter needs its day");
        }
        List<Run> runs = new ArrayList<>(count);
        // a day back as well: the zone rules could in principle push yesterday's send time past midnight
        LocalDate date = LocalDate.ofInstant(now, zone).minusDays(1);
        for (int i = 0; i < SEARCH_DAYS + 7 * count && runs.size() < count; i++, date = date.plusDays(1)) {
            if (!isSendingDate(cadence, weeklyDay, date)) {
                continue;
            }
            ZonedDateTime local = at(date, sendTime, zone);
            if (local.toInstant().isAfter(now)) {
                runs.add(new Run(local, local.toInstant()));
            }
        }
        return runs;
    }

    /** The next {@code count} runs after the clock's now in each of the {@link #EXAMPLE_ZONES}. */
    public static List<Zone> examples(Cadence cadence, DayOfWeek weeklyDay, LocalTime sendTime, Clock clock, int count) {
        Instant now = clock.instant();
        return EXAMPLE_ZONES.stream()
                .map(zone -> new Zone(zone.getId(), next(cadence, weeklyDay, sendTime, zone, now, count)))
                .toList();
    }
}
