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
 * Deliveries of unfinished issues by state, as Prometheus gauges ({@code gazette_digest_open_deliveries{status=...}}),
 * read from the ledger at most every few seconds whatever the scrape rate.
 */
@ApplicationScoped
public class DigestMetrics {

    private static final Duration FRESH = Duration.ofSeconds(5);

    private final DataSource dataSource;
    private final MeterRegistry registry;
    private final Clock clock;
    private volatile Map<DeliveryStatus, Long> counts = new EnumMap<>(DeliveryStatus.class);
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
    }

    double count(DeliveryStatus status) {
        Instant now = clock.instant();
        if (readAt.plus(FRESH).isBefore(now) || readAt.isAfter(now)) {
            readAt = now;
            counts = read();
        }
        return counts.getOrDefault(status, 0L);
    }

    private Map<DeliveryStatus, Long> read() {
        Map<DeliveryStatus, Long> result = new EnumMap<>(DeliveryStatus.class);
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("""
                        select d.status, count(*) from delivery d join digest_issue i on i.id = d.issue_id
                        where i.status in ('SENDING', 'PAUSED') group by d.status
                        """);
                ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                result.put(DeliveryStatus.valueOf(rs.getString(1)), rs.getLong(2));
            }
        } catch (Exception e) {
            Log.debugf(e, "Reading digest gauges failed");
            return counts;
        }
        return result;
    }
}
