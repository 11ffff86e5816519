package dev.gazette.subscriber;

import java.time.ZoneId;
import java.util.Set;
import java.util.TreeSet;

/**
 * The time zones a reader may have, as imports and editor forms check them: the names the JDK knows (Europe/Paris,
 * America/New_York, UTC, and older aliases such as US/Eastern). Offsets such as +02:00 are refused: they do not follow
 * summer time. The editor's selects list the region names ({@code site:zones}).
 */
public final class TimeZones {

    private static final Set<String> KNOWN = new TreeSet<>(ZoneId.getAvailableZoneIds());

    private TimeZones() {
    }

    /** Whether a value (already trimmed) is a zone name the JDK knows. */
    public static boolean isKnown(String zone) {
        return zone != null && KNOWN.contains(zone);
    }
}
