package dev.gazette.subscriber;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.time.Instant;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.testing.GazetteTest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
class ImportTest extends GazetteTest {

    private String token;

    @jakarta.inject.Inject
    dev.gazette.subscriber.transfer.ImportService imports;

    @BeforeEach
    void editor() {
        token = fixtures.editorToken();
        fixtures.topic("Climate", "climate");
        fixtures.topic("Cities", "cities");
    }

    /** Uploads a CSV body and waits until the import finishes; returns its id. */
    static long runImport(String token, String csv, boolean dryRun) {
        long id = ((Number) given().auth().oauth2(token).contentType("text/csv").body(csv)
                .queryParam("dryRun", dryRun).queryParam("fileName", "list.csv")
                .when().post("/api/v1/subscribers/imports")
                .then().statusCode(202).extract().path("id")).longValue();
        for (int i = 0; i < 200; i++) {
            String status = given().auth().oauth2(token).when().get("/api/v1/subscribers/imports/" + id).then()
                    .extract().path("status");
            if (!"RUNNING".equals(status)) {
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

    private List<CSVRecord> report(long id) throws Exception {
        String csv = given().auth().oauth2(token).when().get("/api/v1/subscribers/imports/" + id + "/report")
                .then().statusCode(200).extract().asString();
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(csv)).getRecords();
    }

    static final String LIST = """
            Email,Name,Topics,Status,Subscribed At,Source
            ada@example.org,Ada,climate;cities,active,2025-05-01,newsletter 2025
            not-an-email,Bad,,active,,
            ADA@example.org,Ada Lovelace,,active,,
            bob@example.org,,climate,unsubscribed,,
            suppressed@example.org,S,,active,,
            carl@example.org,Carl,,pending,,
            dora@example.org,Dora,nope,active,2025-13-45,
            eve@example.org,"Eve, ""the"" tester",,,2025-06-01T10:00:00+02:00,
            """;

    @Test
    void shouldImportValidateMergeAndReportPerRow() throws Exception {
        fixtures.activeSubscriber("existing@example.org");
        given().auth().oauth2(token).contentType("application/json")
                .body("{\"email\": \"suppressed@example.org\", \"reason\": \"COMPLAINT\"}")
                .when().post("/api/v1/suppressions").then().statusCode(201);

        long id = runImport(token, LIST + "existing@example.org,Existing New Name,,active,,\n", false);
        JsonPath result = status(id);
        assertEquals("DONE", result.getString("status"));
        assertEquals(100, result.getInt("percent"));
        assertEquals(9, result.getInt("rowsDone"));
        assertEquals(9, result.getInt("rowsTotal"));
        assertEquals(3, result.getInt("created"), "ada, bob, eve");
        assertEquals(2, result.getInt("merged"), "ADA@ repeats ada; existing@ was known");
        assertEquals(1, result.getInt("skipped"));
        assertEquals(3, result.getInt("invalid"));

        List<CSVRecord> rows = report(id);
        assertEquals(List.of("3", "6", "7", "8"), rows.stream().map(r -> r.get("row")).toList());
        assertEquals("not a valid email address", rows.get(0).get("reason"));
        assertEquals("suppressed: complaint", rows.get(1).get("reason"));
        assertEquals("status must be active or unsubscribed", rows.get(2).get("reason"));
        assertTrue(rows.get(3).get("reason").startsWith("subscribed at is not a date"));

        Subscriber ada = SubscribeFlowTest.subscriber("ada@example.org");
        assertEquals("Ada Lovelace", ada.name, "the later row wins");
        assertEquals(SubscriberStatus.ACTIVE, ada.status);
        assertEquals(ConsentSource.IMPORT, ada.consentSource);
        assertEquals(Instant.parse("2026-03-02T09:00:00Z"), ada.consentAt, "the later row had no date");
        assertEquals(id, ada.importId);
        Subscriber eve = SubscribeFlowTest.subscriber("eve@example.org");
        assertEquals("Eve, \"the\" tester", eve.name);
        assertEquals(Instant.parse("2025-06-01T08:00:00Z"), eve.consentAt);
        assertTrue(eve.allTopics);
        Subscriber bob = SubscribeFlowTest.subscriber("bob@example.org");
        assertEquals(SubscriberStatus.UNSUBSCRIBED, bob.status);
        assertEquals(List.of("climate"), bob.topics.stream().map(t -> t.slug).toList());
        assertTrue(QuarkusTransaction.requiringNew().call(() -> Suppression.<Suppression> find("email", "bob@example.org")
                .firstResultOptional().isPresent()));
        assertEquals("Existing New Name", SubscribeFlowTest.subscriber("existing@example.org").name);
        assertNull(SubscribeFlowTest.subscriber("suppressed@example.org"));
        assertEquals(0, greenMail.getReceivedMessages().length, "an import sends no mail");
    }

    @Test
    void shouldKeepEveryReferenceOfImportedRowsIntactAndCascading() throws Exception {
        long id = runImport(token, LIST, false);
        assertEquals("DONE", status(id).getString("status"));
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.Statement st = c.createStatement()) {
            assertTrue(dev.gazette.subscriber.transfer.ImportService.maySkipTriggers(c),
                    "the test database connects as a superuser, so imports take the path without per-row trigger checks");
            assertEquals(0, count(st, """
                    select count(*) from subscriber_topic st
                    where not exists (select 1 from subscriber s where s.id = st.subscriber_id)
                       or not exists (select 1 from topic t where t.id = st.topic_id)"""), "no imported topic row points nowhere");
            assertEquals(0, count(st, """
                    select count(*) from subscriber s where s.import_id is not null
                      and not exists (select 1 from subscriber_import i where i.id = s.import_id)"""));
            assertEquals(1, count(st, "select count(*) from subscriber_topic st join topic t on t.id = st.topic_id where t.slug = 'cities'"),
                    "ada follows cities");
            // The foreign keys still act on imported rows: deleting a topic removes its imported followers' rows.
            st.execute("delete from topic where slug = 'cities'");
            assertEquals(0, count(st, "select count(*) from subscriber_topic st where not exists (select 1 from topic t where t.id = st.topic_id)"));
        }
        assertEquals(List.of("climate"), SubscribeFlowTest.subscriber("ada@example.org").topics.stream().map(t -> t.slug).toList());
    }

    @Test
    void shouldLeaveNoHalfWrittenBatchWhenTheFileBreaksMidway() throws Exception {
        // Several batches of 10,000 rows on both writers, every third reader unsubscribed, then a broken quote: the
        // import fails, and the batches already merged are rolled back with it.
        StringBuilder csv = new StringBuilder("email,status\n");
        for (int i = 0; i < 45_000; i++) {
            csv.append("half").append(i).append("@example.org,").append(i % 3 == 0 ? "unsubscribed" : "active").append('\n');
        }
        csv.append("\"broken@example.org,active\n");
        long id = runImport(token, csv.toString(), false);
        assertEquals("FAILED", status(id).getString("status"));
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.Statement st = c.createStatement()) {
            assertEquals(0, count(st, "select count(*) from subscriber where email like 'half%@example.org'"),
                    "nothing of a failed import stays");
            assertEquals(0, count(st, "select count(*) from suppression where email like 'half%@example.org'"));
            assertEquals(0, count(st, """
                    select count(*) from subscriber
                    where email like 'half%@example.org' and cast(substring(email from 5 for position('@' in email) - 5) as int) % 3 = 0
                      and status <> 'UNSUBSCRIBED'"""), "no reader of a written batch missed its unsubscribe");
        }
    }

    @Test
    void shouldTellWhetherARoleMaySkipTriggerChecks() throws Exception {
        String url = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        try (java.sql.Connection admin = dataSource.getConnection(); java.sql.Statement st = admin.createStatement()) {
            st.execute("do $$ begin if not exists (select 1 from pg_roles where rolname = 'gazette_import_probe') then"
                    + " create role gazette_import_probe login password 'probe'; end if; end $$");
            st.execute("revoke set on parameter session_replication_role from gazette_import_probe");
            try (java.sql.Connection plain = java.sql.DriverManager.getConnection(url, "gazette_import_probe", "probe")) {
                assertEquals(false, dev.gazette.subscriber.transfer.ImportService.maySkipTriggers(plain));
            }
            st.execute("grant set on parameter session_replication_role to gazette_import_probe");
            try (java.sql.Connection granted = java.sql.DriverManager.getConnection(url, "gazette_import_probe", "probe")) {
                assertTrue(dev.gazette.subscriber.transfer.ImportService.maySkipTriggers(granted));
            }
            st.execute("revoke set on parameter session_replication_role from gazette_import_probe");
        }
    }

    private static int count(java.sql.Statement st, String sql) throws java.sql.SQLException {
        try (java.sql.ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @jakarta.inject.Inject
    io.agroal.api.AgroalDataSource dataSource;

    @Test
    void shouldChangeNothingOnDryRun() {
        long id = runImport(token, LIST, true);
        JsonPath result = status(id);
        assertEquals("DONE", result.getString("status"));
        assertTrue(result.getBoolean("dryRun"));
        assertEquals(4, result.getInt("created"));
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> Subscriber.count()));
    }

    @Test
    void shouldFailClearlyOnBadFiles() {
        long noEmail = runImport(token, "name,topics\nAda,climate\n", false);
        assertEquals("FAILED", status(noEmail).getString("status"));
        assertTrue(status(noEmail).getString("error").startsWith("The first row must name the columns"));

        long broken = runImport(token, "email,name\nok@example.org,\"unterminated\n", false);
        assertEquals("FAILED", status(broken).getString("status"));
        assertTrue(status(broken).getString("error").startsWith("The file is not valid CSV"), status(broken).getString("error"));

        given().auth().oauth2(token).contentType("text/csv").body("email\n" + "x@example.org\n".repeat(150_000))
                .when().post("/api/v1/subscribers/imports")
                .then().statusCode(413).contentType("application/problem+json")
                .body("detail", startsWith("The file is larger than 2 MB"));
        given().auth().oauth2(token).contentType("text/csv").body("")
                .when().post("/api/v1/subscribers/imports").then().statusCode(400)
                .body("violations[0].field", equalTo("file"));
    }

    @Test
    void shouldFailImportsWhoseServerStoppedButNotRunningOnes() {
        long stale = QuarkusTransaction.requiringNew().call(() -> running(clock.instant().minus(java.time.Duration.ofMinutes(11))));
        long fresh = QuarkusTransaction.requiringNew().call(() -> running(clock.instant().minus(java.time.Duration.ofMinutes(1))));
        imports.failStale();
        assertEquals("FAILED", status(stale).getString("status"));
        assertTrue(status(stale).getString("error").startsWith("Stopped with its server"));
        assertEquals("RUNNING", status(fresh).getString("status"), "another instance may be importing it right now");
    }

    private static long running(Instant lastProgress) {
        dev.gazette.subscriber.transfer.SubscriberImport i = new dev.gazette.subscriber.transfer.SubscriberImport();
        i.status = dev.gazette.subscriber.transfer.SubscriberImport.Status.RUNNING;
        i.createdBy = "editor";
        i.startedAt = lastProgress;
        i.created(lastProgress);
        i.persist();
        return i.id;
    }

    @Test
    void shouldAcceptBrowserUploads() {
        long id = ((Number) given().auth().oauth2(token).multiPart("file", "readers.csv", "email\nup@example.org\n".getBytes(), "text/csv")
                .when().post("/api/v1/subscribers/imports").then().statusCode(202)
                .body("fileName", equalTo("readers.csv")).extract().path("id")).longValue();
        for (int i = 0; i < 100 && "RUNNING".equals(status(id).getString("status")); i++) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        assertEquals(1, status(id).getInt("created"));
    }

    @Test
    void shouldExportWithFormulasNeutralised() throws Exception {
        runImport(token, "email,name,topics\nf@example.org,=HYPERLINK(\"http://evil\"),climate\nplain@example.org,+1 555,\n", false);
        String csv = given().auth().oauth2(token).when().get("/api/v1/subscribers/export")
                .then().statusCode(200).contentType(startsWith("text/csv")).extract().asString();
        List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv)).getRecords();
        assertEquals(2, rows.size());
        assertEquals("'=HYPERLINK(\"http://evil\")", rows.get(0).get("name"));
        assertEquals("climate", rows.get(0).get("topics"));
        assertEquals("'+1 555", rows.get(1).get("name"));
        assertEquals("all", rows.get(1).get("topics"));
        assertEquals("active", rows.get(1).get("status"));
    }
}
