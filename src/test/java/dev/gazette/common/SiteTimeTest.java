package dev.gazette.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import dev.gazette.common.error.ProblemException;

/** Times typed on the newsroom's clock, across both changes of summer time. */
class SiteTimeTest {

    private final SiteTime paris = new SiteTime(ZoneId.of("Europe/Paris"));

    @Test
    void aTypedTimeUsesTheOffsetInForceThatDay() {
        assertEquals(Instant.parse("2026-03-28T08:30:00Z"), paris.parseLocal("at", "2026-03-28T09:30"));
        assertEquals(Instant.parse("2026-03-29T07:30:00Z"), paris.parseLocal("at", "2026-03-29T09:30"));
        assertEquals("2026-03-29T09:30", paris.inputValue(Instant.parse("2026-03-29T07:30:00Z")));
        assertEquals("", paris.inputValue(null));
    }

    @Test
    void theRepeatedHourMeansTheFirstOne() {
        // 25 October 2026: 03:00 CEST becomes 02:00 CET, so 02:30 happens twice; the first is 00:30 UTC.
        assertEquals(Instant.parse("2026-10-25T00:30:00Z"), paris.parseLocal("at", "2026-10-25T02:30"));
    }

    @Test
    void aSkippedTimeIsRefusedNamingTheGap() {
        ProblemException e = assertThrows(ProblemException.class, () -> paris.parseLocal("at", "2026-03-29T02:30"));
        assertEquals("there is no 02:30 on 29 March 2026 in Europe/Paris: the clocks go from 02:00 straight to 03:00."
                + " Choose another time", e.violations().get(0).message());
        assertEquals("at", e.violations().get(0).field());
        assertThrows(ProblemException.class, () -> paris.parseLocal("at", ""));
        assertThrows(ProblemException.class, () -> paris.parseLocal("at", "29/03/2026 09:30"));
    }
}
