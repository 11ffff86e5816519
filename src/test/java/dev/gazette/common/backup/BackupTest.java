package dev.gazette.common.backup;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gazette.common.EmbeddedDatabase;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.GazetteTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class BackupTest extends GazetteTest {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    @TempDir
    Path restoreInto;

    @jakarta.inject.Inject
    BackupService backups;

    @jakarta.inject.Inject
    dev.gazette.article.media.MediaService media;

    @org.junit.jupiter.api.BeforeEach
    void noBackupsYet() throws java.io.IOException {
        Files0600.deleteTree(backups.folder());
    }

    @Test
    void aBackupTakenWhileRunningRestoresTheDataAsItWasThen() throws Exception {
        String admin = fixtures.adminToken();
        fixtures.topic("Before the backup", "before");
        // an uploaded image (its variants are named after it)
        Path image = media.folder().resolve("0123456789abcdef0123456789abcdef-card.jpg");
        Files.createDirectories(media.folder());
        Files.write(image, new byte[] { (byte) 0xff, (byte) 0xd8, (byte) 0xff, 1, 2, 3 });
        Files.write(media.folder().resolve(".upload-123.tmp"), new byte[] { 9 });
        String folder = given().auth().oauth2(admin).post("/api/v1/backups")
                .then().statusCode(201).body("name", startsWith("gazette-")).extract().path("folder");
        fixtures.topic("After the backup", "after");

        Path backup = Path.of(folder);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)));
        try (Stream<Path> files = Files.walk(backup)) {
            for (Path p : files.toList()) {
                assertEquals(Files.isDirectory(p) ? "rwx------" : "rw-------",
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
            }
        }
        given().auth().oauth2(admin).get("/api/v1/backups").then().statusCode(200)
                .body("[0].folder", equalTo(folder)).body("size()", equalTo(1));

        assertTrue(Files.isRegularFile(backup.resolve("media").resolve(image.getFileName())), "uploaded images are in it");
        assertTrue(Files.notExists(backup.resolve("media").resolve(".upload-123.tmp")), "an upload being written is not");
        Files.delete(media.folder().resolve(".upload-123.tmp"));

        String report = BackupRestore.restore(restoreInto, backup);
        assertTrue(report.contains("Images from the backup are in"), report);
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(image),
                Files.readAllBytes(restoreInto.resolve("media").resolve(image.getFileName()))), "restored with the database");
        try (EmbeddedDatabase restored = EmbeddedDatabase.start(restoreInto.resolve("pg"), 0);
                Connection c = DriverManager.getConnection(restored.jdbcUrl(), EmbeddedDatabase.USER, "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select slug from topic order by slug")) {
            List<String> slugs = new ArrayList<>();
            while (rs.next()) {
                slugs.add(rs.getString(1));
            }
            assertEquals(List.of("before"), slugs, "the data as at the backup");
        }
    }

    @Test
    void editorsCannotBackUpAndTheEditorUiBacksUpOnDemand() {
        given().auth().oauth2(fixtures.editorToken()).post("/api/v1/backups").then().statusCode(403);

        fixtures.admin();
        String cookie = given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("j_username", Fixtures.ADMIN).formParam("j_password", Fixtures.ADMIN_PASSWORD)
                .post("/admin/j_security_check").getCookie("gazette-session");
        assertNotNull(cookie);
        String page = given().cookie("gazette-session", cookie).get("/admin/backups").then().statusCode(200)
                .body(containsString("No backup yet.")).extract().asString();
        Matcher csrf = CSRF.matcher(page);
        assertTrue(csrf.find());
        String location = given().redirects().follow(false).cookie("gazette-session", cookie).contentType(ContentType.URLENC)
                .formParam("csrf-token", csrf.group(1)).post("/admin/backups")
                .then().statusCode(303).extract().header("Location");
        assertTrue(location.contains("/admin/backups?made=gazette-"), location);
        given().cookie("gazette-session", cookie).get(location).then().statusCode(200)
                .body(containsString("is complete."))
                .body(containsString("<table id=\"backups\">"));
    }
}
