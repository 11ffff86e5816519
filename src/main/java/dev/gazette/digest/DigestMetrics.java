package dev.gazette.digest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

/**
 * Deliveries of unfinished issues by state ({@code gazette_digest_open_deliveries{status=...}}) and issues by how they
 * ended ({@code gazette_digest_issues{status="done|done_with_failures|failed|cancelled"}}), as Prometheus gauges read
 * from the database at most every few seconds whatever the scrape rate, so every instance of a cluster reports the same.
 */
@ApplicationScoped
public class DigestMetrics {

    private static final Duration FRESH = Duration.ofSeconds(5);

    private final DataSource dataSource;
    private final MeterRegistry registry;
    private final Clock clock;
    private volatile Map<DeliveryStatus, Long> counts = new EnumMap<>(DeliveryStatus.class);
    private volatile Map<IssueStatus, Long> issues = new EnumMap<>(IssueStatus.class);
    private volatile Instant readAt = Instant.EPOCH;

    DigestMetrics(DataSource dataSource, MeterRegistry registry, Clock clock) {
        this.dataSource = dataSource;
        this.registry = registry;
        this.clock = clock;
    }

    void register(@Observes StartupEvent event) {
        for (DeliveryStatus status : DeliveryStatus.values()) {
            Gauge.builder("gazette.digest.open.deliveries", this, m -> m.count(status))
                    .description("Deliveries of issues still sending or paused, by state").tag("status", status.name().toLowerCase())
                    .register(registry);
        }
        for (IssueStatus status : IssueStatus.values()) {
            if (status.finished()) {
                Gauge.builder("gazette.digest.issues", this, m -> m.issues(status))
                        .description("Issues that ended, by final status").tag("status", status.name().toLowerCase())
                        .register(registry);
            }
        }
    }

    double issues(IssueStatus status) {
        refresh();
        return issues.getOrDefault(status, 0L);
    }

    double count(DeliveryStatus status) {
        refresh();
        return counts.getOrDefault(status, 0L);
    }

    private void refresh() {
        Instant now = clock.instant();
        if (readAt.plus(FRESH).isBefore(now) || readAt.isAfter(now)) {
            readAt = now;
            read();
        }
    }

    private void read() {
        Map<DeliveryStatus, Long> open = new EnumMap<>(DeliveryStatus.class);
        Map<IssueStatus, Long> ended = new EnumMap<>(IssueStatus.class);
        try (Connection c = dataSource.getConnection();
                PreparedStatement deliveries = c.prepareStatement("""
                        select d.status, count(*) from delivery d join digest_issue i on i.id = d.issue_id
                        where i.status in ('SENDING', 'PAUSED') group by d.status
                        """);
                PreparedStatement finished = c.prepareStatement("""
                        select status, count(*) from digest_issue where status not in ('SENDING', 'PAUSED') group by status
                        """)) {
            try (ResultSet rs = deliveries.executeQuery()) {
                while (rs.next()) {
                    open.put(DeliveryStatus.valueOf(rs.getString(1)), rs.getLong(2));
                }
            }
            try (ResultSet rs = finished.executeQuery()) {
                while (rs.next()) {
                    ended.put(IssueStatus.valueOf(rs.getString(1)), rs.getLong(2));
                }
            }
        } catch (Exception e) {
            Log.debugf(e, "Reading digest gauges failed");
            return;
        }
        counts = open;
        issues = ended;
    }
}
