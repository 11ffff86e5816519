package dev.gazette.mail;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import dev.gazette.testing.GazetteTest;
import dev.gazette.testing.ZeroSetupProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

@QuarkusTest
@TestProfile(ZeroSetupProfile.class)
class OutboxModeTest extends GazetteTest {

    static final Path OUTBOX = ZeroSetupProfile.OUTBOX;

    @Test
    void shouldWriteMailToOutboxInsteadOfSmtp() throws Exception {
        List<Path> before = files();
        String admin = fixtures.adminToken();
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"to\": \"reader@example.org\"}")
                .when().post("/api/v1/mail/test")
                .then().statusCode(202)
                .body("transport", endsWith("target/test-outbox"));
        given().when().get("/q/health/well").then().statusCode(200)
                .body("checks.find { it.name == 'Mail transport' }.status", equalTo("UP"));

        List<Path> written = files().stream().filter(p -> !before.contains(p)).toList();
        assertEquals(1, written.size());
        try (InputStream in = Files.newInputStream(written.get(0))) {
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), in);
            assertEquals("Test message from Gazette", message.getSubject());
            assertEquals("reader@example.org", message.getAllRecipients()[0].toString());
            assertTrue(((String) message.getContent()).contains("outgoing mail works"));
        }
        assertEquals(0, greenMail.getReceivedMessages().length);
    }

    @Test
    void shouldWriteOutboxFilesReadableByTheOwnerOnly() throws Exception {
        // A folder left open by an older version is narrowed too.
        Files.createDirectories(OUTBOX);
        Files.setPosixFilePermissions(OUTBOX, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<Path> before = files();
        given().auth().oauth2(fixtures.adminToken()).contentType(ContentType.JSON).body("{\"to\": \"reader@example.org\"}")
                .when().post("/api/v1/mail/test")
                .then().statusCode(202);

        List<Path> written = files().stream().filter(p -> !before.contains(p)).toList();
        assertEquals(1, written.size());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(written.get(0))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(OUTBOX)));
    }

    private static List<Path> files() throws Exception {
        if (!Files.isDirectory(OUTBOX)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(OUTBOX)) {
            return list.toList();
        }
    }
}
