package dev.gazette.admin.web;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.gazette.digest.Cadence;
import dev.gazette.digest.SendTimes;

/** When the newsletter goes out, and its next runs in the example zones; {@code message} when there are none to show. */
public record Schedule(String summary, List<SendTimes.Zone> zones, String message) {

    private static final int RUNS = 2;
    private static final Pattern TIME = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d");

    static Schedule of(String cadenceValue, String dayValue, String timeValue, boolean active, Clock clock) {
        Cadence cadence;
        DayOfWeek day;
        try {
            cadence = Cadence.valueOf(cadenceValue == null ? "" : cadenceValue);
            day = DayOfWeek.valueOf(dayValue == null ? "" : dayValue.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return new Schedule(null, List.of(), "Choose a cadence and a day to see the next runs.");
        }
        if (timeValue == null || !TIME.matcher(timeValue.strip()).matches()) {
            return new Schedule(null, List.of(), "Enter the send time as HH:mm to see the next runs.");
        }
        LocalTime time;
        try {
            time = LocalTime.parse(timeValue.strip());
        } catch (DateTimeParseException e) {
            return new Schedule(null, List.of(), "Enter the send time as HH:mm to see the next runs.");
        }
        String dayName = day.getDisplayName(java.time.format.TextStyle.FULL, Locale.ENGLISH);
        String summary = cadence == Cadence.WEEKLY ? "Weekly, on " + dayName + "s at " + time + " local time"
                : "Daily at " + time + " local time (readers who chose weekly mail get it on " + dayName + "s)";
        if (!active) {
            return new Schedule(summary, List.of(), "The newsletter is not active: no issue is planned until it is.");
        }
        return new Schedule(summary, SendTimes.examples(cadence, day, time, clock, RUNS), null);
    }
}
