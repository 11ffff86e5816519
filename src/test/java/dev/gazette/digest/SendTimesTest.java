package dev.gazette.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;


/**
 * The next send instants the newsletter pages show, with fixed clocks around the changes to and from summer time.
 */
class SendTimesTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private static Clock at(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }

    private static List<String> utc(List<SendTimes.Run> runs) {
        return runs.stream().map(r -> r.utc().toString()).toList();
    }

    private static List<String> text(SendTimes.Zone zone) {
        return zone.runs().stream().map(r -> r.localText() + " = " + r.utcText()).toList();
    }

    @Test
    void aDailyNewsletterAcrossTheAmericanChangeToSummerTime() {
        // Saturday 7 March 2026, 12:30 UTC: New York's 07:00 (12:00 UTC, EST) has passed; summer time starts on the 8th
        List<SendTimes.Zone> zones = SendTimes.examples(Cadence.DAILY, DayOfWeek.MONDAY, LocalTime.of(7, 0),
                at("2026-03-07T12:30:00Z"), 2);

        assertEquals(List.of("America/New_York", "Europe/Paris", "Asia/Tokyo", "UTC"), zones.stream().map(SendTimes.Zone::zone).toList());
        assertEquals(List.of("Sun 8 Mar 2026, 07:00 EDT = Sun 8 Mar 2026, 11:00 UTC",
                "Mon 9 Mar 2026, 07:00 EDT = Mon 9 Mar 2026, 11:00 UTC"), text(zones.get(0)));
        assertEquals(List.of("Sun 8 Mar 2026, 07:00 CET = Sun 8 Mar 2026, 06:00 UTC",
                "Mon 9 Mar 2026, 07:00 CET = Mon 9 Mar 2026, 06:00 UTC"), text(zones.get(1)));
        assertEquals(List.of("Sun 8 Mar 2026, 07:00 JST = Sat 7 Mar 2026, 22:00 UTC",
                "Mon 9 Mar 2026, 07:00 JST = Sun 8 Mar 2026, 22:00 UTC"), text(zones.get(2)));
        assertEquals(List.of("Sun 8 Mar 2026, 07:00 UTC = Sun 8 Mar 2026, 07:00 UTC",
                "Mon 9 Mar 2026, 07:00 UTC = Mon 9 Mar 2026, 07:00 UTC"), text(zones.get(3)));
    }

    @Test
    void aDailyNewsletterAcrossTheEuropeanChangeToSummerTime() {
        // Saturday 28 March: 07:00 in Paris is 06:00 UTC; from Sunday the 29th it is 05:00 UTC
        Clock clock = at("2026-03-28T05:59:00Z");
        assertEquals(List.of("2026-03-28T06:00:00Z", "2026-03-29T05:00:00Z", "2026-03-30T05:00:00Z"),
                utc(SendTimes.next(Cadence.DAILY, null, LocalTime.of(7, 0), PARIS, clock.instant(), 3)));
    }

    @Test
    void aWeeklyNewsletterAcrossTheChangeBackToWinterTime() {
        // Sunday 25 October 2026, 12:00 UTC: that day's 07:00 EDT (11:00 UTC) has passed; winter time starts on 1 November
        List<SendTimes.Run> runs = SendTimes.next(Cadence.WEEKLY, DayOfWeek.SUNDAY, LocalTime.of(7, 0), NEW_YORK,
                at("2026-10-25T12:00:00Z").instant(), 2);
        assertEquals(List.of("2026-11-01T12:00:00Z", "2026-11-08T12:00:00Z"), utc(runs));
        assertEquals("Sun 1 Nov 2026, 07:00 EST", runs.get(0).localText());
        // a Friday newsletter skips the other days
        assertEquals(List.of("2026-10-30T11:00:00Z", "2026-11-06T12:00:00Z"), utc(SendTimes.next(Cadence.WEEKLY,
                DayOfWeek.FRIDAY, LocalTime.of(7, 0), NEW_YORK, at("2026-10-25T12:00:00Z").instant(), 2)));
    }

    @Test
    void aSendTimeInTheSpringGapMovesForwardAndOneInTheAutumnOverlapTakesTheSummerOffset() {
        // 02:30 does not exist in New York on 8 March 2026: the JDK (and the planner) send at 03:30 EDT
        List<SendTimes.Run> gap = SendTimes.next(Cadence.DAILY, null, LocalTime.of(2, 30), NEW_YORK,
                at("2026-03-07T12:00:00Z").instant(), 2);
        assertEquals(List.of("2026-03-08T07:30:00Z", "2026-03-09T06:30:00Z"), utc(gap));
        assertEquals("Sun 8 Mar 2026, 03:30 EDT", gap.get(0).localText());
        // 01:30 happens twice on 1 November 2026: the first one, in summer time
        List<SendTimes.Run> overlap = SendTimes.next(Cadence.DAILY, null, LocalTime.of(1, 30), NEW_YORK,
                at("2026-10-31T12:00:00Z").instant(), 2);
        assertEquals(List.of("2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"), utc(overlap));
        assertEquals("Sun 1 Nov 2026, 01:30 EDT", overlap.get(0).localText());
    }

    @Test
    void aRunAtTheVeryInstantOfNowIsNotNext() {
        assertEquals(List.of("2026-03-03T07:00:00Z"), utc(SendTimes.next(Cadence.DAILY, null, LocalTime.of(7, 0),
                ZoneId.of("UTC"), Instant.parse("2026-03-02T07:00:00Z"), 1)));
        assertThrows(IllegalArgumentException.class, () -> SendTimes.next(Cadence.WEEKLY, null, LocalTime.NOON,
                ZoneId.of("UTC"), Instant.EPOCH, 2));
    }

    @Test
    void theNextWindowIsTheFirstSendingDateStillAheadSomewhere() {
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        // Monday 2 March 2026, 10:00 UTC: Monday's 07:00 has passed in Tokyo (22:00 UTC on the 1st) and in Paris
        // (06:00 UTC), but is still ahead in New York (12:00 UTC)
        SendTimes.Window daily = SendTimes.nextWindow(Cadence.DAILY, null, LocalTime.of(7, 0), List.of(tokyo, PARIS, NEW_YORK),
                Instant.parse("2026-03-02T10:00:00Z")).orElseThrow();
        assertEquals("2026-03-02", daily.date().toString());
        assertEquals(Instant.parse("2026-03-02T12:00:00Z"), daily.first());
        assertEquals(Instant.parse("2026-03-02T12:00:00Z"), daily.last());
        assertEquals(1, daily.zones());
        // a Thursday newsletter: its next date, reaching Tokyo first and New York last
        SendTimes.Window weekly = SendTimes.nextWindow(Cadence.WEEKLY, DayOfWeek.THURSDAY, LocalTime.of(7, 0),
                List.of(tokyo, PARIS, NEW_YORK), Instant.parse("2026-03-02T10:00:00Z")).orElseThrow();
        assertEquals("2026-03-05", weekly.date().toString());
        assertEquals(Instant.parse("2026-03-04T22:00:00Z"), weekly.first());
        assertEquals(Instant.parse("2026-03-05T12:00:00Z"), weekly.last());
        assertEquals(3, weekly.zones());
        assertTrue(SendTimes.nextWindow(Cadence.DAILY, null, LocalTime.NOON, List.of(), Instant.EPOCH).isEmpty());
    }
}
