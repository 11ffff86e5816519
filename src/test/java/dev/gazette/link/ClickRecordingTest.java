package dev.gazette.link;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ClickRecordingTest extends LinkTestBase {

    private static final byte[] VISITOR_A = new byte[16];
    private static final byte[] VISITOR_B = new byte[16];
    private static final byte[] VISITOR_A_NEXT_DAY = new byte[16];

    static {
        VISITOR_B[0] = 1;
        VISITOR_A_NEXT_DAY[0] = 2;
    }

    @Inject
    ClickWriter writer;

    @Inject
    VisitorHasher hasher;

    @Inject
    AgroalDataSource dataSource;

    @AfterEach
    void normalQueue() {
        recorder.discard();
    }

    private TrackedLink link() {
        return campaign("https://news.example.org/story", Utm.NONE);
    }

    @Test
    void shouldStoreNothingUntilFlushedThenEverythingQueued() {
        TrackedLink link = link();
        visit(link.code, CHROME).then().statusCode(302);
        visit(link.code, FIREFOX).then().statusCode(302);
        visit(link.code, "Twitterbot/1.0").then().statusCode(302);
        assertEquals(3, recorder.queued());
        assertEquals(LinkCounts.ZERO, counts(link), "written off the request path, not during it");

        assertEquals(3, recorder.flush());
        assertEquals(0, recorder.queued());
        assertEquals(new LinkCounts(1, 2, 2, 0, 0), counts(link));
        assertEquals(0, recorder.flush());
    }

    @Test
    void shouldHoldTheRedirectWhileTheQueueIsFullAndAnswerOnceTheWriterMadeRoom() throws Exception {
        TrackedLink link = link();
        recorder.resetQueue(1);
        double droppedBefore = metric("gazette_links_clicks_dropped_total\\{reason=\"queue-full\"}");
        double delayedBefore = metric("gazette_links_clicks_delayed_total");
        visit(link.code, CHROME + " visitor/1").then().statusCode(302);

        java.util.concurrent.CompletableFuture<Integer> held = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> visit(link.code, CHROME + " visitor/2").then().extract().statusCode());
        Thread.sleep(150);
        assertTrue(!held.isDone(), "the second redirect waits for room in the queue");
        recorder.flush();
        assertEquals(302, held.get(5, java.util.concurrent.TimeUnit.SECONDS));

        assertEquals(droppedBefore, metric("gazette_links_clicks_dropped_total\\{reason=\"queue-full\"}"), "nothing lost");
        assertEquals(delayedBefore + 1, metric("gazette_links_clicks_delayed_total"));
        assertEquals(new LinkCounts(0, 2, 2, 0, 0), flushedCounts(link));
    }

    @Test
    void shouldDropAndCountEventsWhenTheQueueStaysFullPastTheWait() {
        TrackedLink link = link();
        recorder.resetQueue(2);
        double droppedBefore = metric("gazette_links_clicks_dropped_total\\{reason=\"queue-full\"}");

        for (int i = 0; i < 5; i++) {
            visit(link.code, CHROME + " visitor/" + i).then().statusCode(302);
        }

        assertEquals(2, recorder.queued());
        assertEquals(droppedBefore + 3, metric("gazette_links_clicks_dropped_total\\{reason=\"queue-full\"}"));
        assertEquals(new LinkCounts(0, 2, 2, 0, 0), flushedCounts(link), "the redirects all worked; two clicks were kept");
    }

    @Test
    void shouldExposeRecordedClicksAndPreviewsAsMetrics() {
        TrackedLink link = link();
        double clicks = metric("gazette_links_clicks_recorded_total");
        double previews = metric("gazette_links_previews_recorded_total");
        double duplicates = metric("gazette_links_clicks_duplicate_total");
        visit(link.code, CHROME).then().statusCode(302);
        visit(link.code, CHROME).then().statusCode(302);
        visit(link.code, "Slackbot 1.0 (+https://api.slack.com/robots)").then().statusCode(302);
        recorder.flush();
        assertEquals(clicks + 1, metric("gazette_links_clicks_recorded_total"));
        assertEquals(duplicates + 1, metric("gazette_links_clicks_duplicate_total"));
        assertEquals(previews + 1, metric("gazette_links_previews_recorded_total"));
        assertTrue(metric("gazette_links_queue_size") >= 0);
        assertTrue(metric("http_server_requests_seconds_count\\{method=\"GET\",outcome=\"REDIRECTION\",status=\"302\","
                + "uri=\"/r/\\{code}\"}") >= 3, "one series for all codes, not one per code");
    }

    @Test
    void shouldDeduplicateWithinOneBatchAndAcrossBatches() throws Exception {
        TrackedLink link = link();
        TrackedLink other = campaign("https://news.example.org/other", Utm.NONE);
        Instant nine = clock.instant();
        List<ClickEvent> batch = new ArrayList<>();
        batch.add(ClickEvent.click(link.id, VISITOR_A, nine));
        batch.add(ClickEvent.click(link.id, VISITOR_A, nine.plusSeconds(60)));
        batch.add(ClickEvent.click(link.id, VISITOR_B, nine.plusSeconds(120)));
        batch.add(ClickEvent.click(link.id, VISITOR_A, nine.plusSeconds(3600)));
        batch.add(ClickEvent.click(other.id, VISITOR_A, nine));
        batch.add(ClickEvent.preview(link.id, nine));
        batch.add(ClickEvent.preview(link.id, nine));
        batch.add(ClickEvent.click(999_999L, VISITOR_A, nine));

        ClickWriter.Result result = writer.write(batch);

        assertEquals(new ClickWriter.Result(4, 1, 2), result, "link 999999 does not exist and is skipped");
        assertEquals(new LinkCounts(2, 3, 2, 0, 0), counts(link));
        assertEquals(new LinkCounts(0, 1, 1, 0, 0), counts(other));

        writer.write(List.of(ClickEvent.click(link.id, VISITOR_B, nine.plusSeconds(1800)),
                ClickEvent.click(link.id, VISITOR_B, nine.plusSeconds(3700))));
        assertEquals(new LinkCounts(2, 4, 2, 0, 0), counts(link), "B again in the first hour is not counted; in the second it is");
    }

    @Test
    void shouldCountEveryClickWhenDeduplicationIsOff() throws Exception {
        ClickWriter everyClick = new ClickWriter(dataSource, new WindowConfig(Duration.ZERO));
        TrackedLink link = link();
        Instant nine = clock.instant();
        List<ClickEvent> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batch.add(ClickEvent.click(link.id, VISITOR_A, nine.plusSeconds(i)));
        }
        batch.add(ClickEvent.click(link.id, VISITOR_B, nine));
        // The same person the next day has another hash: the key is derived per day.
        batch.add(ClickEvent.click(link.id, VISITOR_A_NEXT_DAY, nine.plus(Duration.ofDays(1))));

        assertEquals(new ClickWriter.Result(7, 0, 0), everyClick.write(batch));
        assertEquals(new ClickWriter.Result(2, 0, 0), everyClick.write(List.of(ClickEvent.click(link.id, VISITOR_A, nine),
                ClickEvent.click(link.id, VISITOR_A, nine))));

        assertEquals(new LinkCounts(0, 9, 3, 0, 0), counts(link), "A and B on day one, A again on day two");
        assertEquals(0L, ((Number) single("select count(*) from link_click")).longValue(), "nothing to de-duplicate");
    }

    /** The default settings with another de-duplication window. */
    private record WindowConfig(Duration dedupWindow) implements LinksConfig {
        public int queueCapacity() {
            return 100_000;
        }

        public Duration fullQueueWait() {
            return Duration.ofSeconds(2);
        }

        public Duration flushInterval() {
            return Duration.ofSeconds(1);
        }

        public int batchSize() {
            return 5000;
        }

        public int cacheSize() {
            return 100_000;
        }

        public Duration negativeCacheTtl() {
            return Duration.ofSeconds(30);
        }

        public Duration scannerWindow() {
            return Duration.ofSeconds(30);
        }

        public Duration readerTokenTtl() {
            return Duration.ofDays(365);
        }
    }

    @Test
    void shouldKeepOnlyHashesNeverAddresses() throws Exception {
        TrackedLink link = link();
        visit(link.code, CHROME).then().statusCode(302);
        recorder.flush();
        byte[] stored = single("select visitor_hash from link_click");
        assertEquals(VisitorHasher.HASH_BYTES, stored.length);
        assertArrayEquals(hasher.hash("127.0.0.1", CHROME, clock.instant()), stored);
        assertFalse(Arrays.equals(stored, hasher.hash("127.0.0.1", CHROME, clock.instant().plus(Duration.ofDays(1)))),
                "another day, another key");
        assertFalse(Arrays.equals(stored, hasher.hash("127.0.0.2", CHROME, clock.instant())));
    }

    @Test
    void shouldPruneDedupRowsButKeepDailyCounts() throws Exception {
        TrackedLink link = link();
        visit(link.code, CHROME).then().statusCode(302);
        visit(link.code, FIREFOX).then().statusCode(302);
        recorder.flush();

        assertEquals(0, writer.prune(clock.instant().plus(Duration.ofMinutes(30))), "still needed for de-duplication");
        assertEquals(4, writer.prune(clock.instant().plus(Duration.ofDays(2))));
        assertEquals(0L, ((Number) single("select count(*) from link_click")).longValue());
        assertEquals(0L, ((Number) single("select count(*) from link_visitor")).longValue());
        assertEquals(new LinkCounts(0, 2, 2, 0, 0), counts(link));
    }

    private double metric(String pattern) {
        String body = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + pattern + " ([0-9.E+-]+)$").matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @SuppressWarnings("unchecked")
    private <T> T single(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return (T) rs.getObject(1);
        }
    }
}
