package dev.gazette.common.web;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import io.quarkus.arc.Arc;
import io.quarkus.qute.TemplateExtension;

import dev.gazette.common.SiteTime;

/**
 * How the editor's pages print an instant: {@code {t.local}} for people in the site's zone ("Fri 4 Dec, 15:06 CET"),
 * {@code {t.utc}} for the hover title and {@code {t.iso}} for {@code <time datetime>}. The {@code when} tag puts the
 * three together; pages use it instead of printing raw instants. Time fields take {@code {t.inputValue}} and name
 * {@code {site:zone}}. Only the application's own templates see these;
 * editor-written templates run in a restricted engine.
 */
@TemplateExtension
public final class TimeExtensions {

    private TimeExtensions() {
    }

    static String local(Instant instant) {
        return Arc.container().instance(SiteTime.class).get()
                .shortDateTime(instant, Arc.container().instance(Clock.class).get().instant());
    }

    static String utc(Instant instant) {
        return Arc.container().instance(SiteTime.class).get().utcLabel(instant);
    }

    static String iso(Instant instant) {
        return SiteTime.iso(instant);
    }

    /** The instant as a {@code datetime-local} field value on the site's clock ("2026-12-04T15:06"). */
    static String inputValue(Instant instant) {
        return Arc.container().instance(SiteTime.class).get().inputValue(instant);
    }

    /** {@code {site:zone}}: the site's zone as its fields are labelled, e.g. "Europe/Paris". */
    @TemplateExtension(namespace = "site")
    static String zone() {
        return Arc.container().instance(SiteTime.class).get().zone().getId();
    }

    /**
     * {@code {site:zones}}: the time zones a select offers, by IANA region name ("Africa/Abidjan" … "Pacific/Wallis"),
     * then UTC; the legacy aliases (US/Eastern, Etc/GMT+5, SystemV/…) left out.
     */
    @TemplateExtension(namespace = "site")
    static List<String> zones() {
        return ZONES;
    }

    private static final List<String> ZONES = zoneNames();

    private static List<String> zoneNames() {
        List<String> names = new ArrayList<>(ZoneId.getAvailableZoneIds().stream()
                .filter(z -> z.matches("(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific)/.+"))
                .sorted().toList());
        names.add("UTC");
        return List.copyOf(names);
    }
}
