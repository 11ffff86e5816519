package dev.gazette.subscriber;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.article.Topic;
import dev.gazette.testing.GazetteTest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The import's optional columns and its topics: time zone and frequency checked per row, topics the file names that do
 * not exist reported with their row counts (or created when asked), and one history entry per imported reader.
 */
@QuarkusTest
class ImportColumnsTest extends GazetteTest {

    private String token;

    @BeforeEach
    void editor() {
        token = fixtures.editorToken();
        fixtures.topic("Climate", "climate");
    }

    private long runImport(String csv, String fileName, boolean createTopics, boolean dryRun) {
        long id = ((Number) given().auth().oauth2(token).contentType("text/csv").body(csv)
                .queryParam("fileName", fileName).queryParam("createTopics", createTopics).queryParam("dryRun", dryRun)
                .when().post("/api/v1/subscribers/imports")
                .then().statusCode(202).extract().path("id")).longValue();
        for (int i = 0; i < 200; i++) {
            if (!"RUNNING".equals(status(id).getString("status"))) {
                return id;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("import " + id + " did not finish");
    }

    private JsonPath status(long id) {
        return given().auth().oauth2(token).when().get("/api/v1/subscribers/imports/" + id).then().statusCode(200)
                .extract().jsonPath();
    }

    private static Subscriber reader(String email) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Subscriber s = Subscriber.<Subscriber> find("emailKey", email).firstResult();
            if (s != null) {
                s.topics.size();
            }
            return s;
        });
    }

    private static List<String> topicsOf(String email) {
        return reader(email).topics.stream().map(t -> t.slug).sorted().toList();
    }

    @Test
    void shouldTakeTimeZoneAndFrequencyPerRowAndReportBadOnes() {
        long id = runImport("""
                email,time_zone,frequency
                ana@example.org,Europe/Paris,daily
                ben@example.org,,
                cat@example.org,Mars/Olympus,weekly
                dan@example.org,America/New_York,hourly
                eve@example.org,+02:00,weekly
                """, "zones.csv", false, false);

        JsonPath done = status(id);
        assertEquals("DONE", done.getString("status"));
        assertEquals(2, done.getInt("created"));
        assertEquals(3, done.getInt("invalid"));
        Subscriber ana = reader("ana@example.org");
        assertEquals("Europe/Paris", ana.timezone);
        assertEquals(Frequency.DAILY, ana.frequency);
        Subscriber ben = reader("ben@example.org");
        assertEquals("UTC", ben.timezone, "the default time zone");
        assertEquals(Frequency.WEEKLY, ben.frequency, "the default frequency");
        String report = given().auth().oauth2(token).when().get("/api/v1/subscribers/imports/" + id + "/report").then()
                .statusCode(200).extract().asString();
        assertEquals("row,email,reason\r\n"
                + "4,cat@example.org,time zone Mars/Olympus is not known (use a name such as Europe/Paris)\r\n"
                + "5,dan@example.org,frequency must be daily or weekly\r\n"
                + "6,eve@example.org,time zone +02:00 is not known (use a name such as Europe/Paris)\r\n", report);
    }

    @Test
    void shouldAcceptTheTimezoneSpellingAndKeepAKnownReadersOwnChoices() {
        fixtures.reader("known@example.org", "Asia/Tokyo", Frequency.DAILY);
        runImport("""
                email,timezone,frequency
                known@example.org,Europe/Paris,weekly
                new@example.org,Europe/Lisbon,daily
                """, "spelling.csv", false, false);
        assertEquals("Europe/Lisbon", reader("new@example.org").timezone);
        Subscriber known = reader("known@example.org");
        assertEquals("Asia/Tokyo", known.timezone, "a known reader keeps their own time zone");
        assertEquals(Frequency.DAILY, known.frequency);
    }

    @Test
    void shouldReportUnknownTopicsWithTheirRowCountsAndKeepTheKnownOnes() {
        long id = runImport("""
                email,topics
                ana@example.org,climate;sport
                ben@example.org,sport;opera
                cat@example.org,Sport
                dan@example.org,climate
                """, "topics.csv", false, false);

        JsonPath done = status(id);
        assertEquals(4, done.getInt("created"));
        List<Map<String, Object>> unknown = done.getList("unknownTopics");
        assertEquals(List.of(Map.of("slug", "sport", "rows", 3, "created", false),
                Map.of("slug", "opera", "rows", 1, "created", false)), unknown);
        assertEquals(List.of("climate"), topicsOf("ana@example.org"), "the known topic is kept");
        assertEquals(List.of(), topicsOf("ben@example.org"));
        assertFalse(reader("ben@example.org").allTopics, "a reader who named topics does not get all of them");
        assertTrue(QuarkusTransaction.requiringNew().call(() -> Topic.findBySlug("sport").isEmpty()), "nothing created");
    }

    @Test
    void shouldCreateUnknownTopicsWhenAsked() {
        long dry = runImport("email,topics\nana@example.org,climate;local-news\n", "dry.csv", true, true);
        assertEquals(List.of(Map.of("slug", "local-news", "rows", 1, "created", false)), status(dry).getList("unknownTopics"));
        assertTrue(QuarkusTransaction.requiringNew().call(() -> Topic.findBySlug("local-news").isEmpty()),
                "a dry run creates nothing");

        long id = runImport("""
                email,topics
                ana@example.org,climate;local-news
                ben@example.org,local-news
                cat@example.org,not a slug!
                """, "create.csv", true, false);

        JsonPath done = status(id);
        assertEquals(true, done.getBoolean("createTopics"));
        assertEquals(List.of(Map.of("slug", "local-news", "rows", 2, "created", true),
                Map.of("slug", "not a slug!", "rows", 1, "created", false)), done.getList("unknownTopics"));
        Topic created = QuarkusTransaction.requiringNew().call(() -> Topic.findBySlug("local-news").orElseThrow());
        assertEquals("Local news", created.name);
        assertEquals(List.of("climate", "local-news"), topicsOf("ana@example.org"));
        assertEquals(List.of("local-news"), topicsOf("ben@example.org"));
        given().get("/subscribe").then().statusCode(200).body(containsString("Local news"));
    }

    @Test
    void shouldWriteOneHistoryEntryPerImportedReader() {
        long known = fixtures.activeSubscriber("known@example.org").id;
        long id = runImport("""
                email,name
                known@example.org,Known
                new@example.org,New
                NEW@example.org,New again
                """, "people.csv", false, false);

        String entry = "Imported from people.csv by editor (import #" + id + ")";
        List<SubscriberEvent> history = QuarkusTransaction.requiringNew().call(() -> SubscriberEvent.history(known));
        assertEquals(List.of("CONFIRMED", "IMPORTED"), history.stream().map(e -> e.type).toList());
        assertEquals(entry, history.get(1).detail);
        long created = reader("new@example.org").id;
        List<SubscriberEvent> createdHistory = QuarkusTransaction.requiringNew().call(() -> SubscriberEvent.history(created));
        assertEquals(1, createdHistory.size(), "one entry for a reader repeated in the file");
        assertEquals(entry, createdHistory.get(0).detail);
        given().auth().oauth2(token).when().get("/api/v1/subscribers/" + created).then().statusCode(200)
                .body("history[0].type", equalTo("IMPORTED"));
    }
}
