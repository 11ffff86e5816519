package dev.gazette.common;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.gazette.common.config.SiteConfig;
import dev.gazette.common.error.ProblemException;

/**
 * Dates and times as pages show them, in the site's zone ({@code gazette.site.time-zone}): a label for people
 * ("Fri 4 Dec 2026, 15:06 CET") and the machine-readable instant for {@code <time datetime>}, meta tags and JSON-LD.
 */
@Singleton
public class SiteTime {

    private static final String DATE_TIME = "EEE d MMM yyyy, HH:mm z";
    private static final String DATE = "d MMMM yyyy";
    private static final String SHORT_THIS_YEAR = "EEE d MMM, HH:mm z";
    private static final String UTC_LABEL = "yyyy-MM-dd HH:mm:ss 'UTC'";
    private static final String INPUT = "yyyy-MM-dd'T'HH:mm";

    private final ZoneId zone;
    private final DateTimeFormatter dateTime;
    private final DateTimeFormatter date;
    private final DateTimeFormatter shortThisYear;
    private final DateTimeFormatter utc;
    private final DateTimeFormatter input;

    @Inject
    SiteTime(SiteConfig config) {
        this(config.timeZone());
    }

    /** A formatter for the given zone, for callers outside CDI (tests, tools). */
    public SiteTime(ZoneId zone) {
        this.zone = zone;
        this.dateTime = DateTimeFormatter.ofPattern(DATE_TIME, Locale.ENGLISH).withZone(zone);
        this.date = DateTimeFormatter.ofPattern(DATE, Locale.ENGLISH).withZone(zone);
        this.shortThisYear = DateTimeFormatter.ofPattern(SHORT_THIS_YEAR, Locale.ENGLISH).withZone(zone);
        this.utc = DateTimeFormatter.ofPattern(UTC_LABEL, Locale.ENGLISH).withZone(ZoneOffset.UTC);
        this.input = DateTimeFormatter.ofPattern(INPUT, Locale.ENGLISH).withZone(zone);
    }

    /** The site's zone. */
    public ZoneId zone() {
        return zone;
    }

    /** Day, date, time and zone for people, e.g. "Fri 4 Dec 2026, 15:06 CET"; null for null. */
    public String dateTime(Instant instant) {
        return instant == null ? null : dateTime.format(instant);
    }

    /**
     * The compact label the editor shows: "Fri 4 Dec, 15:06 CET" within the current year in the site's zone, the full
     * {@link #dateTime(Instant)} otherwise; null for null.
     */
    public String shortDateTime(Instant instant, Instant now) {
        if (instant == null) {
            return null;
        }
        boolean sameYear = instant.atZone(zone).getYear() == now.atZone(zone).getYear();
        return sameYear ? shortThisYear.format(instant) : dateTime.format(instant);
    }

    /** The instant in UTC to the second for a hover title, e.g. "2026-12-04 14:06:19 UTC"; null for null. */
    public String utcLabel(Instant instant) {
        return instant == null ? null : utc.format(instant);
    }

    /** The date alone for people, e.g. "4 December 2026"; null for null. */
    public String date(Instant instant) {
        return instant == null ? null : date.format(instant);
    }

    /**
     * The instant in UTC to the second, e.g. "2026-12-04T14:06:00Z", for {@code <time datetime>} and metadata; null
     * for null. Database timestamps carry microseconds, which HTML's datetime syntax allows only up to three digits.
     */
    public static String iso(Instant instant) {
        return instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** The instant as a {@code <input type="datetime-local">} value in the site's zone, to the minute; "" for null. */
    public String inputValue(Instant instant) {
        return instant == null ? "" : input.format(instant);
    }

    /**
     * The instant a {@code datetime-local} value names on the site's clock ("2027-03-28T09:30"). The offset is the one in
     * force on that day, so summer and winter times both mean what the wall clock says. A time the clocks skip (the hour
     * lost when summer time starts) is refused, naming the gap, rather than moved silently; a time that happens twice
     * (the hour repeated when it ends) means the first one, before the clocks go back.
     *
     * @param field the form field, named in the error
     * @throws ProblemException 400 naming the field for a blank, malformed or skipped time
     */
    public Instant parseLocal(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ProblemException.invalid(field, "choose a date and time");
        }
        LocalDateTime local;
        try {
            local = LocalDateTime.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(field, "must be a date and time, like 2027-03-28T09:30");
        }
        ZoneOffsetTransition gap = zone.getRules().getTransition(local);
        if (gap != null && gap.isGap()) {
            throw ProblemException.invalid(field, "there is no " + local.toLocalTime() + " on "
                    + DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH).format(local) + " in " + zone.getId()
                    + ": the clocks go from " + gap.getDateTimeBefore().toLocalTime() + " straight to "
                    + gap.getDateTimeAfter().toLocalTime() + ". Choose another time");
        }
        return ZonedDateTime.ofLocal(local, zone, null).toInstant();
    }
}
