package dev.gazette.admin.web;

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
import java.util.List;
import java.util.Locale;

import dev.gazette.digest.Cadence;

/**
 * When a newsletter's next issues reach readers in a few example time zones. Each send instant is the local send time
 * on a sending date, resolved with the JDK's zone rules exactly as the planner does ({@code date.atTime(t).atZone(zone)}):
 * so it follows summer time, a send time that falls in the spring gap moves forward by the gap, and one in the autumn
 * overlap takes the earlier (summer) offset.
 */
public final class NextRuns {

    /** The zones the editor UI shows. */
    public static final List<ZoneId> EXAMPLE_ZONES = List.of(ZoneId.of("America/New_York"), ZoneId.of("Europe/Paris"),
            ZoneId.of("Asia/Tokyo"), ZoneId.of("UTC"));

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm zzz", Locale.ENGLISH);
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    /** Far enough for any weekly date, with room for the day before today. */
    private static final int SEARCH_DAYS = 16;

    private NextRuns() {
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
            if (cadence == Cadence.WEEKLY && date.getDayOfWeek() != weeklyDay) {
                continue;
            }
            ZonedDateTime local = date.atTime(sendTime).atZone(zone);
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
