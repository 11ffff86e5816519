package dev.gazette.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import jakarta.inject.Singleton;

/**
 * The clock of every Quarkus test: fixed at {@link #START} until a test moves it.
 */
@Singleton
public class TestClock extends Clock {

    public static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

    private volatile Instant now = START;

    public void reset() {
        now = START;
    }

    public void set(Instant instant) {
        now = instant;
    }

    public void advance(Duration duration) {
        now = now.plus(duration);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("Use the injected clock in UTC");
    }
}
