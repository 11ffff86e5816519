package dev.gazette.digest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import io.agroal.api.AgroalDataSource;

import dev.gazette.testing.GazetteTest;

/**
 * Shared helpers of the digest tests: newsletters, the ledger as rows, and who received what.
 */
abstract class DigestTestBase extends GazetteTest {

    @Inject
    DigestPlanner planner;

    @Inject
    DigestSender sender;

    @Inject
    NewsletterService newsletters;

    @Inject
    IssueService issues;

    @Inject
    DeliveryLedger ledger;

    @Inject
    AgroalDataSource dataSource;

    /** A World topic with one story, published at 08:00 UTC on 2 March 2026; the clock is then at 09:00. */
    void worldNews() {
        fixtures.topic("World", "world");
        clock.set(Instant.parse("2026-03-02T08:00:00Z"));
        fixtures.published("Storm reaches the coast", "Body.", "world");
        clock.set(Instant.parse("2026-03-02T09:00:00Z"));
    }

    /** A daily newsletter at 07:00 local time covering these topics (all when none). */
    Newsletter daily(String... topics) {
        return newsletters.create(new NewsletterInput("World this morning", "world-morning", "The world, briefly.",
                List.of(topics), Cadence.DAILY, null, "07:00", "Gazette World", "world@news.example.org", "desk@news.example.org",
                null, null, null, null, null, null));
    }

    /** One row of the ledger. */
    record Row(long id, long issueId, long subscriberId, String status, Instant dueAt, int attempts, int recoveries,
            String lastError, Integer articles) {
    }

    List<Row> deliveries() throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("select id, issue_id, subscriber_id, status, due_at, attempts, recoveries,"
                        + " last_error, article_count from delivery order by id");
                ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                rows.add(new Row(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getTimestamp(5).toInstant(),
                        rs.getInt(6), rs.getInt(7), rs.getString(8), (Integer) rs.getObject(9)));
            }
        }
        return rows;
    }

    Row delivery(long subscriberId) throws SQLException {
        return deliveries().stream().filter(r -> r.subscriberId() == subscriberId).findFirst().orElseThrow();
    }

    /** Received messages by recipient, counting copies. */
    Map<String, Integer> copiesByRecipient() throws Exception {
        Map<String, Integer> copies = new TreeMap<>();
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            String to = ((InternetAddress) m.getRecipients(MimeMessage.RecipientType.TO)[0]).getAddress();
            copies.merge(to, 1, Integer::sum);
        }
        return copies;
    }

    MimeMessage messageTo(String address) throws Exception {
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            if (((InternetAddress) m.getRecipients(MimeMessage.RecipientType.TO)[0]).getAddress().equals(address)) {
                return m;
            }
        }
        throw new AssertionError("No message to " + address);
    }
}
