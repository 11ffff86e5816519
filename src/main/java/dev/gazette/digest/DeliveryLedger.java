package dev.gazette.digest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import dev.gazette.common.Text;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The delivery ledger in SQL: claims with {@code FOR UPDATE SKIP LOCKED} held under the sender's heartbeat, set-based article selection for
 * a whole batch, and outcomes written in one statement per batch. Plain JDBC on short transactions of its own.
 */
@ApplicationScoped
public class DeliveryLedger {

    private final DataSource dataSource;

    DeliveryLedger(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A claimed delivery with what the sender needs of its reader. */
    public record Claim(long id, long issueId, long subscriberId, Instant dueAt, int attempts, String email, String emailKey,
            String name, String subscriberStatus, Instant pausedUntil) {
    }

    /** The result of one send, written back in a batch. */
    public record Outcome(long id, DeliveryStatus status, Instant sentAt, Instant readyAt, String error, Integer articles) {
    }

    /** What the selection found for a delivery: its articles, newest first. */
    public record Selection(Map<Long, List<Long>> articles) {
        public List<Long> of(long deliveryId) {
            return articles.getOrDefault(deliveryId, List.of());
        }
    }

    /**
     * The newsletter settings the selection needs, and the issue's pinned articles (in order, each for its topics'
     * readers or, where {@code pinnedForAll} says so, for all) and excluded ones.
     */
    public record Scope(long newsletterId, boolean weeklyNewsletter, boolean allTopics, Long[] topicIds, int maxItems,
            Long[] pinnedIds, Boolean[] pinnedForAll, Long[] excludedIds, boolean pinnedOnly) {

        public Scope(long newsletterId, boolean weeklyNewsletter, boolean allTopics, Long[] topicIds, int maxItems) {
            this(newsletterId, weeklyNewsletter, allTopics, topicIds, maxItems, new Long[0], new Boolean[0], new Long[0], false);
        }
    }

    public List<Claim> claim(String instance, int limit, Instant now) throws SQLException {
        heartbeat(instance, now);
        try (Connection c = dataSource.getConnection();
                PreparedStatement claim = c.prepareStatement("""
                        with open as materialized (select id from digest_issue where status = 'SENDING'),
                        c as materialized (
                            select d2.id from delivery d2
                            where d2.status in ('PENDING', 'RETRY') and d2.ready_at <= ?
                              and d2.issue_id = any(array(select id from open))
                            order by d2.ready_at, d2.id
                            limit ? for update of d2 skip locked)
                        update delivery d set status = 'SENDING', claimed_by = ?, claimed_at = ?, attempts = d.attempts + 1
                        from c, subscriber s
                        where d.id = c.id and s.id = d.subscriber_id
                        returning d.id, d.issue_id, d.subscriber_id, d.due_at, d.attempts, s.email, s.email_key, s.name,
                                  s.status, s.paused_until
                        """)) {
            // A materialised CTE runs the locking subquery exactly once: inside a join it could be rescanned.
            claim.setTimestamp(1, Timestamp.from(now));
            claim.setInt(2, limit);
            claim.setString(3, instance);
            claim.setTimestamp(4, Timestamp.from(now));
            List<Claim> claims = new ArrayList<>();
            try (ResultSet rs = claim.executeQuery()) {
                while (rs.next()) {
                    Timestamp paused = rs.getTimestamp(10);
                    claims.add(new Claim(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getTimestamp(4).toInstant(), rs.getInt(5),
                            rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), paused == null ? null : paused.toInstant()));
                }
            }
            return claims;
        }
    }

    /**
     * Refreshes the planner's statistics of the ledger after a large insert: with the row counts of an empty table it
     * would sort every pending row to claim a batch instead of reading the claim index in order.
     */
    public static void analyze(Connection c, int inserted) throws SQLException {
        if (inserted >= 1000) {
            try (var analyze = c.createStatement()) {
                analyze.execute("analyze delivery");
            }
        }
    }

    /** Tells the other senders that this one is alive: its claimed rows stay its own. */
    public void heartbeat(String instance, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement beat = c.prepareStatement("""
                        insert into digest_sender (instance, heartbeat_at, started_at) values (?, ?, ?)
                        on conflict (instance) do update set heartbeat_at = excluded.heartbeat_at
                        """)) {
            beat.setString(1, instance);
            beat.setTimestamp(2, Timestamp.from(now));
            beat.setTimestamp(3, Timestamp.from(now));
            beat.executeUpdate();
        }
    }

    /**
     * Puts the rows of senders whose heartbeat is older than the lease (they died) back in line, and forgets senders
     * silent for a day. A message such a sender had handed to the SMTP server but not yet recorded goes out again: at
     * most its concurrency, and counted.
     */
    public int recoverExpired(Instant now, Duration lease, int maxAttempts) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement recover = c.prepareStatement("""
                        update delivery d set status = case when d.attempts >= ? then 'FAILED' else 'PENDING' end,
                               last_error = case when d.attempts >= ? then 'the sender stopped during every attempt' else d.last_error end,
                               ready_at = ?, claimed_by = null, claimed_at = null, recoveries = d.recoveries + 1
                        where d.status = 'SENDING'
                          and not exists (select 1 from digest_sender s where s.instance = d.claimed_by and s.heartbeat_at >= ?)
                        """);
                PreparedStatement forget = c.prepareStatement("delete from digest_sender where heartbeat_at < ?")) {
            recover.setInt(1, maxAttempts);
            recover.setInt(2, maxAttempts);
            recover.setTimestamp(3, Timestamp.from(now));
            recover.setTimestamp(4, Timestamp.from(now.minus(lease)));
            int recovered = recover.executeUpdate();
            forget.setTimestamp(1, Timestamp.from(now.minus(Duration.ofDays(1))));
            forget.executeUpdate();
            return recovered;
        }
    }

    /** Writes a batch of outcomes; rows this sender no longer holds (taken over after a lost lease) are left alone. */
    public int record(String instance, List<Outcome> outcomes) throws SQLException {
        if (outcomes.isEmpty()) {
            return 0;
        }
        int n = outcomes.size();
        Long[] ids = new Long[n];
        String[] statuses = new String[n];
        Timestamp[] sent = new Timestamp[n];
        Timestamp[] ready = new Timestamp[n];
        String[] errors = new String[n];
        Integer[] articles = new Integer[n];
        for (int i = 0; i < n; i++) {
            Outcome o = outcomes.get(i);
            ids[i] = o.id();
            statuses[i] = o.status().name();
            sent[i] = o.sentAt() == null ? null : Timestamp.from(o.sentAt());
            ready[i] = o.readyAt() == null ? null : Timestamp.from(o.readyAt());
            errors[i] = o.error() == null ? null : Text.truncate(o.error(), 500);
            articles[i] = o.articles();
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement update = c.prepareStatement("""
                        update delivery d set status = u.status, sent_at = u.sent_at, ready_at = coalesce(u.ready_at, d.ready_at),
                               last_error = u.error, article_count = u.articles, claimed_by = null, claimed_at = null
                        from unnest(?::bigint[], ?::varchar[], ?::timestamptz[], ?::timestamptz[], ?::varchar[], ?::int[])
                             as u(id, status, sent_at, ready_at, error, articles)
                        where d.id = u.id and d.status = 'SENDING' and d.claimed_by = ?
                        """)) {
            // Losing these updates in a database crash only means re-sending: nothing waits for the disk here. SET LOCAL
            // keeps the setting to this transaction; the pooled connection is handed on with the server's default.
            c.setAutoCommit(false);
            int updated;
            try {
                try (var async = c.createStatement()) {
                    async.execute("set local synchronous_commit = off");
                }
                update.setArray(1, c.createArrayOf("bigint", ids));
                update.setArray(2, c.createArrayOf("varchar", statuses));
                update.setArray(3, c.createArrayOf("timestamptz", sent));
                update.setArray(4, c.createArrayOf("timestamptz", ready));
                update.setArray(5, c.createArrayOf("varchar", errors));
                update.setArray(6, c.createArrayOf("int", articles));
                update.setString(7, instance);
                updated = update.executeUpdate();
                c.commit();
            } catch (SQLException | RuntimeException | Error e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            return updated;
        }
    }

    /**
     * The articles of each delivery, chosen in one statement: first the issue's pinned articles in pin order (those
     * in the reader's topics, and those pinned for all), then those published since the reader's previous digest of
     * this newsletter (at most {@code maxLookback} back; a first digest looks back one reader period), in the
     * newsletter's topics and the reader's, newest first (not for a special edition, which is its chosen articles);
 * never an excluded one; capped at the newsletter's maximum.
     */
    public Selection select(Scope scope, List<Long> deliveryIds, List<Long> subscriberIds, List<Instant> dueTimes,
            Duration maxLookback) throws SQLException {
        Map<Long, List<Long>> result = new LinkedHashMap<>();
        if (deliveryIds.isEmpty()) {
            return new Selection(result);
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("""
                        select b.id, a.id
                        from unnest(?::bigint[], ?::bigint[], ?::timestamptz[]) as b(id, subscriber_id, due_at)
                        join subscriber s on s.id = b.subscriber_id
                        cross join lateral (
                            select greatest(
                                       coalesce(max(p.due_at), b.due_at - case when ? or s.frequency = 'WEEKLY'
                                                                               then interval '7 days' else interval '1 day' end),
                                       b.due_at - ? * interval '1 second') as since
                            from delivery p join digest_issue pi on pi.id = p.issue_id
                            where p.subscriber_id = b.subscriber_id and p.due_at < b.due_at
                              and pi.newsletter_id = ? and p.status in ('SENT', 'SKIPPED') and pi.kind <> 'SPECIAL') w
                        cross join lateral (
                            select x.id, x.pin, x.published_at from (
                                select a.id, p.pin, a.published_at
                                from unnest(?::bigint[], ?::boolean[]) with ordinality as p(id, for_all, pin)
                                join article a on a.id = p.id
                                where a.status = 'PUBLISHED'
                                  and (p.for_all or s.all_topics or exists (select 1 from article_topic t join subscriber_topic st
                                       on st.topic_id = t.topic_id where t.article_id = a.id and st.subscriber_id = s.id))
                                union all
                                (select a.id, null::bigint, a.published_at from article a
                                where a.status = 'PUBLISHED' and a.published_at > w.since and a.published_at <= b.due_at
                                  and (? or exists (select 1 from article_topic t where t.article_id = a.id and t.topic_id = any(?)))
                                  and (s.all_topics or exists (select 1 from article_topic t join subscriber_topic st on st.topic_id = t.topic_id
                                                               where t.article_id = a.id and st.subscriber_id = s.id))
                                  and a.id <> all(?::bigint[]) and a.id <> all(?::bigint[])
                                order by a.published_at desc, a.id desc
                                limit ?)) x
                            order by x.pin nulls last, x.published_at desc, x.id desc
                            limit ?) a
                        order by b.id, a.pin nulls last, a.published_at desc, a.id desc
                        """)) {
            select.setArray(1, c.createArrayOf("bigint", deliveryIds.toArray()));
            select.setArray(2, c.createArrayOf("bigint", subscriberIds.toArray()));
            select.setArray(3, c.createArrayOf("timestamptz", dueTimes.stream().map(Timestamp::from).toArray()));
            select.setBoolean(4, scope.weeklyNewsletter());
            select.setLong(5, maxLookback.toSeconds());
            select.setLong(6, scope.newsletterId());
            select.setArray(7, c.createArrayOf("bigint", scope.pinnedIds()));
            select.setArray(8, c.createArrayOf("boolean", scope.pinnedForAll()));
            select.setBoolean(9, scope.allTopics());
            select.setArray(10, c.createArrayOf("bigint", scope.topicIds()));
            select.setArray(11, c.createArrayOf("bigint", scope.pinnedIds()));
            select.setArray(12, c.createArrayOf("bigint", scope.excludedIds()));
            // a special edition is its chosen articles and nothing else
            select.setInt(13, scope.pinnedOnly() ? 0 : scope.maxItems());
            select.setInt(14, Math.max(scope.maxItems(), scope.pinnedIds().length));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    result.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getLong(2));
                }
            }
        }
        return new Selection(result);
    }

    /** The newsletter's newest articles published in a period, for web copies and generic previews. */
    public List<Long> latest(Scope scope, Instant after, Instant until) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("""
                        select a.id from article a
                        where a.status = 'PUBLISHED' and a.published_at > ? and a.published_at <= ?
                          and (? or exists (select 1 from article_topic t where t.article_id = a.id and t.topic_id = any(?)))
                        order by a.published_at desc, a.id desc
                        limit ?
                        """)) {
            select.setTimestamp(1, Timestamp.from(after));
            select.setTimestamp(2, Timestamp.from(until));
            select.setBoolean(3, scope.allTopics());
            select.setArray(4, c.createArrayOf("bigint", scope.topicIds()));
            select.setInt(5, scope.maxItems());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    /** The reader a delivery was for, as a bounce report names it by the delivery's VERP address. */
    public Optional<Long> subscriberOf(long deliveryId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement query = c.prepareStatement("select subscriber_id from delivery where id = ?")) {
            query.setLong(1, deliveryId);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /** Notes what a bounce or complaint report said about a delivery, where editors see the delivery's last error. */
    public void noteReport(long deliveryId, String report) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement update = c.prepareStatement("update delivery set last_error = ? where id = ?")) {
            update.setString(1, Text.truncate(report, 500));
            update.setLong(2, deliveryId);
            update.executeUpdate();
        }
    }

    /** Which of these keyed address hashes are on the suppression list. */
    public Set<String> suppressed(Set<String> hashes) throws SQLException {
        Set<String> found = new HashSet<>();
        if (hashes.isEmpty()) {
            return found;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement query = c.prepareStatement("select email_hash from suppression where email_hash = any(?)")) {
            query.setArray(1, c.createArrayOf("varchar", hashes.toArray()));
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
        }
        return found;
    }

}
