package dev.gazette.subscriber;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.common.config.DataConfig;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.GazetteTest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Faulty and hostile import files through the HTTP API: each bad row is reported with a reason an editor understands
 * and the rest imports, counts are exact, a failed import leaves nothing behind, and no answer names the server's
 * internals.
 */
@QuarkusTest
class ImportRobustnessTest extends GazetteTest {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");
    private static final List<String> INTERNALS = List.of("Exception", "PSQL", "import_stage", "java.", "COPY", "SQL");

    @Inject
    DataConfig data;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    private String token;

    @BeforeEach
    void editor() {
        token = fixtures.editorToken();
        clock.set(Instant.parse("2026-03-02T09:00:00Z"));
    }

    @Test
    void shouldReportARowWithANulByteAndImportTheRest() throws Exception {
        JsonPath result = finished(upload(bytes("email,name\nfirst@example.org,First\nnul@example.org,Bad\0Name\nlast@example.org,Last\n")));
        assertEquals("DONE", result.getString("status"), result.prettify());
        assertCounts(result, 2, 0, 1);
        List<CSVRecord> report = report(result.getLong("id"));
        assertEquals(1, report.size());
        assertEquals("3", report.get(0).get("row"));
        assertEquals("nul@example.org", report.get(0).get("email"));
        assertEquals("the row contains control characters (such as NUL)", report.get(0).get("reason"));
        assertTrue(exists("first@example.org") && exists("last@example.org") && !exists("nul@example.org"));
    }

    @Test
    void shouldReportARowThatIsNotUtf8AndImportTheRest() throws Exception {
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        csv.writeBytes(bytes("email,name\nfirst@example.org,Zoë\n"));
        csv.writeBytes(bytes("latin1@example.org,Caf"));
        csv.write(0xE9); // é in ISO-8859-1: not UTF-8
        csv.writeBytes(bytes("\nlast@example.org,Last\n"));
        JsonPath result = finished(upload(csv.toByteArray()));
        assertEquals("DONE", result.getString("status"), result.prettify());
        assertCounts(result, 2, 0, 1);
        List<CSVRecord> report = report(result.getLong("id"));
        assertEquals("3", report.get(0).get("row"));
        assertEquals("the row is not valid UTF-8 text (save the file as UTF-8)", report.get(0).get("reason"));
        assertEquals("Zoë", SubscribeFlowTest.subscriber("first@example.org").name);
    }

    @Test
    void shouldReportDatesOutsideASaneRangeAsRowErrors() throws Exception {
        String csv = """
                email,subscribed at
                ok@example.org,2026-03-03
                ancient@example.org,-99999-01-01
                ancient-time@example.org,-99999-01-01T00:00:00Z
                early@example.org,1989-12-31
                future@example.org,2026-03-04
                huge@example.org,+999999999-12-31T00:00:00Z
                nodate@example.org,
                """;
        JsonPath result = finished(upload(bytes(csv)));
        assertEquals("DONE", result.getString("status"), result.prettify());
        assertCounts(result, 2, 0, 5);
        List<CSVRecord> report = report(result.getLong("id"));
        assertEquals(List.of("3", "4", "5", "6", "7"), report.stream().map(r -> r.get("row")).toList());
        assertTrue(report.get(0).get("reason").startsWith("subscribed at is not a date"), report.get(0).get("reason"));
        for (CSVRecord outOfRange : report.subList(1, 5)) {
            assertEquals("subscribed at must be between 1990-01-01 and 2026-03-03", outOfRange.get("reason"), outOfRange.get("email"));
        }
        assertTrue(exists("ok@example.org") && exists("nodate@example.org") && !exists("ancient@example.org"));
    }

    @Test
    void shouldSkipAByteOrderMarkBeforeTheHeader() {
        JsonPath result = finished(upload(bytes("\uFEFFemail,name\nbom@example.org,Bom\n")));
        assertEquals("DONE", result.getString("status"), result.prettify());
        assertCounts(result, 1, 0, 0);
        assertTrue(exists("bom@example.org"));
    }

    @Test
    void shouldLeaveNothingWhenTheImportFailsAndNameNoInternals() {
        // Two writers' worth of batches, then a broken quote: the batches already merged are rolled back with the rest.
        StringBuilder csv = new StringBuilder("email\n");
        for (int i = 0; i < 25_000; i++) {
            csv.append("whole").append(i).append("@example.org\n");
        }
        csv.append("\"broken@example.org\n");
        JsonPath result = finished(upload(bytes(csv.toString())));
        assertEquals("FAILED", result.getString("status"));
        assertCounts(result, 0, 0, 0);
        String error = result.getString("error");
        assertTrue(error.startsWith("The file is not valid CSV near row") && error.endsWith("Nothing was imported."), error);
        INTERNALS.forEach(word -> assertFalse(error.contains(word), error));
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> Subscriber.count()));

        JsonPath header = finished(upload(bytes("name\0,topics\nAda,climate\n")));
        assertEquals("FAILED", header.getString("status"));
        String headerError = header.getString("error");
        assertTrue(headerError.startsWith("The first row must name the columns"), headerError);
        assertFalse(headerError.contains("\0"), headerError);
        INTERNALS.forEach(word -> assertFalse(headerError.contains(word), headerError));
    }

    @Test
    void shouldLeaveNoFileBehindWhenTheClientHangsUpMidUpload() throws Exception {
        Path imports = data.dir().resolve("imports");
        List<Path> before = files(imports);
        try (Socket socket = new Socket("localhost", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/subscribers/imports HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: text/csv\r\nContent-Length: 1000000\r\n\r\nemail\n").getBytes(StandardCharsets.US_ASCII));
            byte[] rows = "hangup@example.org\n".repeat(3_000).getBytes(StandardCharsets.US_ASCII);
            out.write(rows);
            out.flush();
            boolean stored = false;
            for (int i = 0; i < 100 && !stored; i++) {
                stored = files(imports).size() > before.size();
                Thread.sleep(50);
            }
            assertTrue(stored, "the upload is being stored while the body comes in");
        }
        List<Path> left = files(imports);
        for (int i = 0; i < 100 && left.size() > before.size(); i++) {
            Thread.sleep(50);
            left = files(imports);
        }
        assertEquals(before, left, "the cut-off upload was deleted");
        assertNull(QuarkusTransaction.requiringNew().call(() -> dev.gazette.subscriber.transfer.SubscriberImport.findAll().firstResult()),
                "no import was started");
        assertFalse(exists("hangup@example.org"));
    }

    @Test
    void shouldLeaveNoFileBehindWhenAMultipartUploadIsCutOff() throws Exception {
        Path uploads = Path.of(uploadsDirectory);
        List<Path> before = files(uploads);
        String boundary = "gazette-cut-off";
        try (Socket socket = new Socket("localhost", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/subscribers/imports HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: 1000000\r\n\r\n--"
                    + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"list.csv\"\r\n"
                    + "Content-Type: text/csv\r\n\r\nemail\n").getBytes(StandardCharsets.US_ASCII));
            out.write("cut@example.org\n".repeat(5_000).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            boolean stored = false;
            for (int i = 0; i < 100 && !stored; i++) {
                stored = files(uploads).size() > before.size();
                Thread.sleep(50);
            }
            assertTrue(stored, "the upload is being stored while the body comes in");
        }
        List<Path> left = files(uploads);
        for (int i = 0; i < 100 && left.size() > before.size(); i++) {
            Thread.sleep(50);
            left = files(uploads);
        }
        assertEquals(before, left, "the cut-off upload was deleted");
        assertFalse(exists("cut@example.org"));
    }

    @ConfigProperty(name = "quarkus.http.body.uploads-directory")
    String uploadsDirectory;

    @Test
    void shouldDoTheSameThroughTheEditorsUploadPage() {
        String cookie = given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("j_username", Fixtures.EDITOR).formParam("j_password", Fixtures.EDITOR_PASSWORD)
                .post("/admin/j_security_check").getCookie("gazette-session");
        Matcher csrf = CSRF.matcher(given().cookie("gazette-session", cookie).get("/admin/subscribers/imports")
                .then().statusCode(200).extract().asString());
        assertTrue(csrf.find());
        byte[] file = bytes("\uFEFFemail,name,subscribed at\nbom@example.org,Bom,\nnul@example.org,Bad\0Name,\nold@example.org,,1970-01-01\n");
        String location = given().redirects().follow(false).cookie("gazette-session", cookie)
                .multiPart("csrf-token", csrf.group(1)).multiPart("file", "excel.csv", file, "text/csv")
                .post("/admin/subscribers/imports").then().statusCode(303).extract().header("Location");
        long id = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
        JsonPath result = finished(id);
        assertEquals("DONE", result.getString("status"), result.prettify());
        assertCounts(result, 1, 0, 2);
        String page = given().cookie("gazette-session", cookie).get(location).then().statusCode(200).extract().asString();
        assertTrue(page.contains("the row contains control characters (such as NUL)"), page);
        assertTrue(page.contains("subscribed at must be between 1990-01-01 and 2026-03-03"), page);
    }

    private void assertCounts(JsonPath result, int created, int merged, int invalid) {
        assertEquals(created, result.getInt("created"), "created: " + result.prettify());
        assertEquals(merged, result.getInt("merged"), "merged");
        assertEquals(invalid, result.getInt("invalid"), "invalid");
        if ("DONE".equals(result.getString("status"))) {
            assertEquals(result.getInt("rowsTotal"), result.getInt("rowsDone"));
        }
    }

    private long upload(byte[] csv) {
        return ((Number) given().auth().oauth2(token).contentType("text/csv").body(csv)
                .when().post("/api/v1/subscribers/imports")
                .then().statusCode(202).extract().path("id")).longValue();
    }

    /** The import once it has finished; an import still running after 15 s fails the test. */
    private JsonPath finished(long id) {
        for (int i = 0; i < 300; i++) {
            JsonPath status = given().auth().oauth2(token).when().get("/api/v1/subscribers/imports/" + id)
                    .then().statusCode(200).extract().jsonPath();
            if (!"RUNNING".equals(status.getString("status"))) {
                INTERNALS.forEach(word -> assertFalse(status.prettify().contains(word), status.prettify()));
                return status;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("import " + id + " is still RUNNING");
    }

    private List<CSVRecord> report(long id) throws Exception {
        String csv = given().auth().oauth2(token).when().get("/api/v1/subscribers/imports/" + id + "/report")
                .then().statusCode(200).extract().asString();
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(csv)).getRecords();
    }

    private static boolean exists(String email) {
        return SubscribeFlowTest.subscriber(email) != null;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Path> files(Path dir) throws Exception {
        assertNotNull(dir);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.sorted().toList();
        }
    }
}
