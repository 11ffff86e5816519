package dev.gazette.subscriber;

import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The time zones a reader may have: IANA names (Europe/Paris, America/New_York) and UTC, as the editor's select lists
 * them and as imports and editor forms check them. Offsets such as +02:00 are refused: they do not follow summer time.
 */
public final class TimeZones {

    private static final Set<String> KNOWN = new TreeSet<>(ZoneId.getAvailableZoneIds());
    private static final List<String> CHOICES = KNOWN.stream()
            .filter(z -> z.equals("UTC") || (z.contains("/") && !z.startsWith("Etc/") && !z.startsWith("SystemV/"))).toList();

    private TimeZones() {
    }

    /** The zones offered in selects, sorted by name. */
    public static List<String> choices() {
        return CHOICES;
    }

    /** Whether a value (already trimmed) is a zone name the JDK knows. */
    public static boolean isKnown(String zone) {
        return zone != null && KNOWN.contains(zone);
    }
}
