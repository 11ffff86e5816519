package dev.gazette.link;

import java.nio.ByteBuffer;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;

/**
 * Writes queued clicks and previews, set-based: one statement per batch inserts the click rows (de-duplicated by a
 * unique index with ON CONFLICT DO NOTHING), the new visitors of each link and of each link's context (a digest
 * issue's links together), and adds to the daily counters, atomically.
 */
@ApplicationScoped
public class ClickWriter {

    /** What one batch changed. */
    public record Result(int clicks, int duplicates, int previews) {
    }

    private record ClickKey(long linkId, ByteBuffer visitor, String bucket) {
    }

    private record PreviewKey(long linkId, LocalDate day) {
    }

    // Rows for links that no longer exist are skipped rather than failing the whole batch.
    // Ordered inserts keep two instances writing at once from locking the same rows in opposite orders.
    // %s is the clicks step: with de-duplication, the clicks that get a row in link_click; without, all of them.
    private static final String WRITE = """
            with input as (
                select e.link_id, e.kind, e.visitor_hash, e.bucket::timestamptz as bucket, e.at::timestamptz as at, e.n
                from unnest(?::bigint[], ?::text[], ?::bytea[], ?::text[], ?::text[], ?::int[])
                    as e(link_id, kind, visitor_hash, bucket, at, n)
                where exists (select 1 from tracked_link l where l.id = e.link_id)
            ),
            clicks as (%s),
            visitors as (
                insert into link_visitor (link_id, visitor_hash, day)
                select distinct on (link_id, visitor_hash) link_id, visitor_hash, day from clicks
                order by link_id, visitor_hash, day
                on conflict do nothing
                returning link_id, day
            ),
            context_visitors as (
                insert into link_context_visitor (context_type, context_id, visitor_hash, day)
                select distinct on (l.context_type, l.context_id, c.visitor_hash) l.context_type, l.context_id,
                    c.visitor_hash, c.day
                from clicks c join tracked_link l on l.id = c.link_id where l.context_id is not null
                order by l.context_type, l.context_id, c.visitor_hash, c.day
                on conflict do nothing
                returning context_type, context_id, day
            ),
            context_daily as (
                insert into link_context_daily (context_type, context_id, day, unique_visitors)
                select context_type, context_id, day, count(*) from context_visitors
                group by context_type, context_id, day order by context_type, context_id, day
                on conflict (context_type, context_id, day) do update
                    set unique_visitors = link_context_daily.unique_visitors + excluded.unique_visitors
                returning 1
            ),
            counts as (
                select link_id, day, sum(p) as previews, sum(c) as clicks, sum(u) as uniques from (
                    select link_id, (at at time zone 'UTC')::date as day, n as p, 0 as c, 0 as u from input where kind = 'P'
                    union all select link_id, day, 0, n, 0 from clicks
                    union all select link_id, day, 0, 0, 1 from visitors
                ) as x group by link_id, day
            ),
            daily as (
                insert into link_daily (link_id, day, previews, clicks, unique_clicks)
                select link_id, day, previews, clicks, uniques from counts order by link_id, day
                on conflict (link_id, day) do update set previews = link_daily.previews + excluded.previews,
                    clicks = link_daily.clicks + excluded.clicks,
                    unique_clicks = link_daily.unique_clicks + excluded.unique_clicks
                returning 1
            )
            select (select coalesce(sum(n), 0) from clicks), (select coalesce(sum(n), 0) from input where kind = 'C'),
                (select coalesce(sum(n), 0) from input where kind = 'P'), (select count(*) from daily),
                (select count(*) from context_daily)""";
    private static final String DEDUPLICATED_CLICKS = """

                insert into link_click (link_id, visitor_hash, bucket, clicked_at)
                select link_id, visitor_hash, bucket, at from input where kind = 'C' order by link_id, at
                on conflict do nothing
                returning link_id, visitor_hash, (clicked_at at time zone 'UTC')::date as day, 1 as n
            """;
    private static final String ALL_CLICKS = """

                select link_id, visitor_hash, (at at time zone 'UTC')::date as day, n from input where kind = 'C'
            """;

    private final AgroalDataSource dataSource;
    private final long windowMillis;
    private final String write;

    ClickWriter(AgroalDataSource dataSource, LinksConfig config) {
        this.dataSource = dataSource;
        this.windowMillis = config.dedupWindow().toMillis();
        this.write = WRITE.formatted(windowMillis > 0 ? DEDUPLICATED_CLICKS : ALL_CLICKS);
    }

    /**
     * Writes one batch in one statement (so it is all or nothing). Previews are first summed per link and day; clicks
     * the de-duplication would drop anyway are dropped here, and without de-duplication one visitor's clicks are
     * summed: a storm of preview fetches or one visitor hammering a link costs one row.
     */
    public Result write(List<ClickEvent> events) throws SQLException {
        Map<ClickKey, ClickEvent> clicks = new LinkedHashMap<>();
        Map<ClickKey, int[]> repeats = new LinkedHashMap<>();
        Map<PreviewKey, int[]> previews = new LinkedHashMap<>();
        int clickEvents = 0;
        for (ClickEvent e : events) {
            if (e.preview()) {
                previews.computeIfAbsent(new PreviewKey(e.linkId(), LocalDate.ofInstant(e.at(), ZoneOffset.UTC)),
                        k -> new int[1])[0]++;
                continue;
            }
            clickEvents++;
            String bucket = bucket(e.at());
            // Without de-duplication the key is the day, and the clicks are counted; with it, the window, and the
            // first one stands for them all.
            ClickKey key = new ClickKey(e.linkId(), ByteBuffer.wrap(e.visitorHash()),
                    bucket != null ? bucket : LocalDate.ofInstant(e.at(), ZoneOffset.UTC).toString());
            if (clicks.putIfAbsent(key, e) == null) {
                repeats.put(key, new int[] { 1 });
            } else if (bucket == null) {
                repeats.get(key)[0]++;
            }
        }
        int n = clicks.size() + previews.size();
        Long[] links = new Long[n];
        String[] kinds = new String[n];
        byte[][] visitors = new byte[n][];
        String[] buckets = new String[n];
        String[] times = new String[n];
        Integer[] counts = new Integer[n];
        int i = 0;
        for (Map.Entry<ClickKey, ClickEvent> click : clicks.entrySet()) {
            ClickEvent e = click.getValue();
            links[i] = e.linkId();
            kinds[i] = "C";
            visitors[i] = e.visitorHash();
            buckets[i] = windowMillis > 0 ? click.getKey().bucket() : null;
            times[i] = e.at().toString();
            counts[i++] = repeats.get(click.getKey())[0];
        }
        for (Map.Entry<PreviewKey, int[]> preview : previews.entrySet()) {
            links[i] = preview.getKey().linkId();
            kinds[i] = "P";
            times[i] = preview.getKey().day().atStartOfDay(ZoneOffset.UTC).toInstant().toString();
            counts[i++] = preview.getValue()[0];
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(write)) {
            Array[] arrays = { connection.createArrayOf("bigint", links), connection.createArrayOf("text", kinds),
                    connection.createArrayOf("bytea", visitors), connection.createArrayOf("text", buckets),
                    connection.createArrayOf("text", times), connection.createArrayOf("int", counts) };
            for (int a = 0; a < arrays.length; a++) {
                statement.setArray(a + 1, arrays[a]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                int stored = rs.getInt(1);
                int collapsed = windowMillis > 0 ? clickEvents - clicks.size() : 0;
                return new Result(stored, rs.getInt(2) - stored + collapsed, rs.getInt(3));
            }
        }
    }

    /**
     * Deletes what de-duplication no longer needs: click rows older than the window (plus an hour for clicks still
     * queued) and visitors of days before yesterday. The daily counters stay.
     *
     * @return rows deleted
     */
    public int prune(Instant now) throws SQLException {
        Instant clicksBefore = now.minus(Duration.ofMillis(windowMillis)).minus(Duration.ofHours(1));
        LocalDate visitorsBefore = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(1);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement clicks = connection.prepareStatement("delete from link_click where clicked_at < ?");
                PreparedStatement visitors = connection.prepareStatement("delete from link_visitor where day < ?");
                PreparedStatement contextVisitors = connection.prepareStatement("delete from link_context_visitor where day < ?")) {
            clicks.setObject(1, clicksBefore.atOffset(ZoneOffset.UTC));
            visitors.setObject(1, visitorsBefore);
            contextVisitors.setObject(1, visitorsBefore);
            return clicks.executeUpdate() + visitors.executeUpdate() + contextVisitors.executeUpdate();
        }
    }

    /** Start of the de-duplication window holding this instant, or null when de-duplication is off. */
    String bucket(Instant at) {
        if (windowMillis <= 0) {
            return null;
        }
        long millis = at.toEpochMilli();
        return Instant.ofEpochMilli(millis - Math.floorMod(millis, windowMillis)).toString();
    }
}
