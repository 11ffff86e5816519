package dev.gazette.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gazette.subscriber.Frequency;
import dev.gazette.subscriber.Subscriber;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class DigestScheduleTest extends DigestTestBase {

    @Test
    void shouldDeliverAtSevenInEachReadersOwnTimeZone() throws Exception {
        fixtures.topic("World", "world");
        clock.set(Instant.parse("2026-03-01T20:00:00Z"));
        fixtures.published("Storm reaches the coast", "Body.", "world");
        Subscriber tokyo = fixtures.reader("tokyo@example.org", "Asia/Tokyo", Frequency.DAILY, "world");
        Subscriber newYork = fixtures.reader("ny@example.org", "America/New_York", Frequency.DAILY, "world");
        daily("world");

        // 07:00 in Tokyo on 2 March is 22:00 UTC on 1 March; New York's 07:00 (EST) is 12:00 UTC on 2 March.
        clock.set(Instant.parse("2026-03-01T21:50:00Z"));
        planner.planDue();
        assertEquals(List.of(tokyo.id), deliveries().stream().map(Row::subscriberId).toList());
        assertEquals(Instant.parse("2026-03-01T22:00:00Z"), delivery(tokyo.id).dueAt());
        sender.sendDue();
        assertEquals(0, greenMail.getReceivedMessages().length, "nothing before the reader's own 07:00");

        clock.set(Instant.parse("2026-03-01T22:00:00Z"));
        sender.sendDue();
        assertEquals(Map.of("tokyo@example.org", 1), copiesByRecipient());

        clock.set(Instant.parse("2026-03-02T11:50:00Z"));
        planner.planDue();
        assertEquals(Instant.parse("2026-03-02T12:00:00Z"), delivery(newYork.id).dueAt());
        assertEquals(deliveries().get(0).issueId(), delivery(newYork.id).issueId(), "one issue for the date, in every zone");
        sender.sendDue();
        assertEquals(1, greenMail.getReceivedMessages().length);

        clock.set(Instant.parse("2026-03-02T12:00:30Z"));
        sender.sendDue();
        planner.planDue();
        assertEquals(Map.of("ny@example.org", 1, "tokyo@example.org", 1), copiesByRecipient());
        assertTrue(messageTo("ny@example.org").getSubject().startsWith("World this morning – Monday 2 March 2026"));
        assertEquals(List.of("SENT", "SENT"), deliveries().stream().map(Row::status).toList());
    }

    @Test
    void shouldFollowDaylightSavingTime() throws Exception {
        fixtures.topic("World", "world");
        Subscriber newYork = fixtures.reader("ny@example.org", "America/New_York", Frequency.DAILY, "world");
        daily("world");

        clock.set(Instant.parse("2026-03-07T11:55:00Z"));
        planner.planDue();
        clock.set(Instant.parse("2026-03-08T10:55:00Z"));
        planner.planDue();

        // Clocks in New York go forward on 8 March: 07:00 is 12:00 UTC the day before and 11:00 UTC that day.
        assertEquals(List.of(Instant.parse("2026-03-07T12:00:00Z"), Instant.parse("2026-03-08T11:00:00Z")),
                deliveries().stream().filter(r -> r.subscriberId() == newYork.id).map(Row::dueAt).toList());
    }

    @Test
    void shouldSendWeeklyReadersADailyNewsletterOnItsWeeklyDayOnly() throws Exception {
        fixtures.topic("World", "world");
        Subscriber weekly = fixtures.reader("weekly@example.org", "UTC", Frequency.WEEKLY, "world");
        Subscriber daily = fixtures.reader("daily@example.org", "UTC", Frequency.DAILY, "world");
        daily("world"); // weekly day: Monday

        clock.set(Instant.parse("2026-03-03T06:50:00Z")); // a Tuesday
        planner.planDue();
        assertEquals(List.of(daily.id), deliveries().stream().map(Row::subscriberId).toList());

        clock.set(Instant.parse("2026-03-09T06:50:00Z")); // the next Monday
        planner.planDue();
        assertEquals(2, deliveries().stream().filter(r -> r.dueAt().equals(Instant.parse("2026-03-09T07:00:00Z"))).count());
        assertTrue(deliveries().stream().anyMatch(r -> r.subscriberId() == weekly.id));
    }

    @Test
    void shouldSelectArticlesInTheReadersTopicsWithinTheNewsletters() throws Exception {
        fixtures.topic("World", "world");
        fixtures.topic("Science", "science");
        fixtures.topic("Sport", "sport");
        fixtures.topic("Culture", "culture");
        clock.set(Instant.parse("2026-03-02T05:00:00Z"));
        fixtures.published("Storm reaches the coast", "Body.", "world");
        fixtures.published("A new comet", "Body.", "science");
        fixtures.published("Cup final tonight", "Body.", "sport");
        clock.set(Instant.parse("2026-03-01T05:00:00Z"));
        fixtures.published("Yesterday's world news", "Body.", "world");
        fixtures.reader("world@example.org", "UTC", Frequency.DAILY, "world");
        fixtures.reader("science@example.org", "UTC", Frequency.DAILY, "science");
        fixtures.reader("everything@example.org", "UTC", Frequency.DAILY);
        Subscriber culture = fixtures.reader("culture@example.org", "UTC", Frequency.DAILY, "culture");
        daily("world", "science");

        clock.set(Instant.parse("2026-03-02T06:50:00Z"));
        planner.planDue();
        assertTrue(deliveries().stream().noneMatch(r -> r.subscriberId() == culture.id), "no topic in common: not planned");
        clock.set(Instant.parse("2026-03-02T07:00:00Z"));
        sender.sendDue();

        assertEquals(Map.of("everything@example.org", 1, "science@example.org", 1, "world@example.org", 1), copiesByRecipient());
        String world = items(messageTo("world@example.org"));
        assertTrue(world.contains("Storm reaches the coast") && !world.contains("A new comet"), world);
        String science = items(messageTo("science@example.org"));
        assertTrue(science.contains("A new comet") && !science.contains("Storm reaches the coast"), science);
        String everything = items(messageTo("everything@example.org"));
        assertTrue(everything.contains("Storm reaches the coast") && everything.contains("A new comet"), everything);
        assertTrue(!everything.contains("Cup final tonight"), "sport is not in the newsletter: " + everything);
        assertTrue(!everything.contains("Yesterday's world news"), "only articles since the previous digest (a day for a first one)");
    }

    @Test
    void shouldSkipReadersWithNothingNew() throws Exception {
        fixtures.topic("World", "world");
        Subscriber reader = fixtures.reader("reader@example.org", "UTC", Frequency.DAILY, "world");
        Newsletter n = daily("world");
        clock.set(Instant.parse("2026-03-02T06:50:00Z"));
        planner.planDue();
        clock.set(Instant.parse("2026-03-02T07:00:00Z"));
        sender.sendDue();

        assertEquals(0, greenMail.getReceivedMessages().length);
        Row row = delivery(reader.id);
        assertEquals("SKIPPED", row.status());
        assertEquals(1L, issues.progress(row.issueId()).deliveries().get(DeliveryStatus.SKIPPED));
        assertEquals(n.id, issues.get(row.issueId()).newsletterId);
    }

    @Test
    void shouldStartEachDigestWhereTheReadersPreviousOneEnded() throws Exception {
        fixtures.topic("World", "world");
        Subscriber reader = fixtures.reader("reader@example.org", "UTC", Frequency.DAILY, "world");
        daily("world");
        clock.set(Instant.parse("2026-03-02T06:00:00Z"));
        fixtures.published("First story", "Body.", "world");
        clock.set(Instant.parse("2026-03-02T06:50:00Z"));
        planner.planDue();
        clock.set(Instant.parse("2026-03-02T07:00:00Z"));
        sender.sendDue();
        clock.set(Instant.parse("2026-03-02T18:00:00Z"));
        fixtures.published("Second story", "Body.", "world");
        clock.set(Instant.parse("2026-03-03T06:50:00Z"));
        planner.planDue();
        clock.set(Instant.parse("2026-03-03T07:00:00Z"));
        sender.sendDue();

        assertEquals(2, greenMail.getReceivedMessages().length);
        String second = items(greenMail.getReceivedMessages()[1]);
        assertTrue(second.contains("Second story") && !second.contains("First story"), second);
        assertEquals(List.of(1, 1), deliveries().stream().filter(r -> r.subscriberId() == reader.id).map(Row::articles).toList());
    }

    /** The digest's own articles: its text part up to the "Also read" section. */
    static String items(jakarta.mail.internet.MimeMessage message) throws Exception {
        String text = text(message);
        int also = text.indexOf("ALSO READ");
        return also < 0 ? text : text.substring(0, also);
    }

    static String text(jakarta.mail.internet.MimeMessage message) throws Exception {
        jakarta.mail.Multipart multipart = (jakarta.mail.Multipart) message.getContent();
        for (int i = 0; i < multipart.getCount(); i++) {
            if (multipart.getBodyPart(i).isMimeType("text/plain")) {
                return multipart.getBodyPart(i).getContent().toString().replace("\r\n", "\n");
            }
        }
        throw new AssertionError("no text part");
    }
}
