package dev.gazette.link;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Readers' clicks as activity ({@code subscriber.last_active_at}), off the request path like clicks: the redirect
 * offers the token of a tagged link to a bounded queue (a full queue drops it, counted; the redirect never waits for
 * activity), and a writer thread judges the queued clicks and stores the human ones in batches every
 * {@code gazette.links.flush-interval}. A click is not the reader's when the token is not valid, when it is a HEAD
 * request, when the User-Agent is a bot's or a link scanner's, or when it came within
 * {@code gazette.links.scanner-window} of the mail's send time. What is queued when the process dies is lost.
 */
@Singleton
public class ReaderActivity extends BatchingQueue<ReaderActivity.Visit> {

    /** What a tagged click was judged to be, the {@code outcome} of {@code gazette_reader_activity_total}. */
    public enum Outcome {
        COUNTED, BOT, HEAD, SCANNER_TIMING, INVALID;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A click on a tagged link, as the redirect saw it. */
    record Visit(String token, Instant at, boolean head, boolean bot) {
    }

    private final ReaderClicks clicks;
    private final ReaderActivityWriter writer;
    private final LinksConfig config;
    private final Clock clock;
    private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);
    private final Counter droppedFull;

    ReaderActivity(ReaderClicks clicks, ReaderActivityWriter writer, LinksConfig config, Clock clock, MeterRegistry registry) {
        super("activity writer", config, Counter.builder("gazette.reader.activity.dropped").tag("reason", "write-failed")
                .description("Readers' clicks not judged nor stored").register(registry));
        this.clicks = clicks;
        this.writer = writer;
        this.config = config;
        this.clock = clock;
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome, Counter.builder("gazette.reader.activity").tag("outcome", outcome.tag())
                    .description("Clicks on links carrying a reader's token, by what they were judged to be").register(registry));
        }
        droppedFull = Counter.builder("gazette.reader.activity.dropped").tag("reason", "queue-full")
                .description("Readers' clicks not judged nor stored").register(registry);
    }

    /**
     * Queues a click on a link that carried a reader's token, without blocking and without checking the token (the
     * writer does). A full queue drops it and counts it.
     */
    public void offer(String token, boolean head, boolean bot) {
        if (!enqueue(new Visit(token, clock.instant(), head, bot))) {
            droppedFull.increment();
        }
    }

    /** What a click was: the token is checked first, so a forged token is invalid whoever sends it. */
    Outcome judge(Visit visit, ReaderClicks.Click click) {
        if (click == null) {
            return Outcome.INVALID;
        }
        if (visit.head()) {
            return Outcome.HEAD;
        }
        if (visit.bot()) {
            return Outcome.BOT;
        }
        if (visit.at().isBefore(click.sentAt().plus(config.scannerWindow()))) {
            return Outcome.SCANNER_TIMING;
        }
        return Outcome.COUNTED;
    }

    @Override
    void store(List<Visit> batch) throws Exception {
        Map<Long, Instant> latest = new HashMap<>();
        Map<Outcome, int[]> counts = new EnumMap<>(Outcome.class);
        for (Visit visit : batch) {
            ReaderClicks.Click click = clicks.check(visit.token());
            Outcome outcome = judge(visit, click);
            counts.computeIfAbsent(outcome, o -> new int[1])[0]++;
            if (outcome == Outcome.COUNTED) {
                latest.merge(click.readerId(), visit.at(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        writer.write(latest);
        counts.forEach((outcome, n) -> outcomes.get(outcome).increment(n[0]));
    }

    void start(@Observes StartupEvent event) {
        startWriter();
    }

    // Before the default priority, so the datasource is still there.
    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        stopWriter();
    }
}
