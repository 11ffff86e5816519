package dev.gazette.digest;

import java.time.Duration;

/**
 * How often a newsletter goes out; readers who asked for weekly mail get a daily one on its weekly day.
 */
public enum Cadence {
    DAILY(Duration.ofDays(1)),
    WEEKLY(Duration.ofDays(7));

    private final Duration period;

    Cadence(Duration period) {
        this.period = period;
    }

    public Duration period() {
        return period;
    }
}
