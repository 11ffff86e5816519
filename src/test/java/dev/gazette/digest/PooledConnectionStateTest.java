package dev.gazette.digest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.gazette.subscriber.Frequency;
import dev.gazette.subscriber.Subscriber;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Work that relaxes durability or stages rows (the subscriber import, the digest sender's outcome updates) must keep
 * it to its own transactions: a pooled connection handed on with {@code synchronous_commit = off} would acknowledge a
 * reader's confirmation or unsubscribe before it is on disk.
 */
@QuarkusTest
class PooledConnectionStateTest extends DigestTestBase {

    @Test
    void afterAnImportAndADigestEveryPooledConnectionHasTheServerDefaultsAndNoTempTable() throws Exception {
        String token = fixtures.editorToken();
        fixtures.topic("World", "world");
        StringBuilder csv = new StringBuilder("email,name,topics\n");
        for (int i = 0; i < 50; i++) {
            csv.append("reader").append(i).append("@example.org,Reader ").append(i).append(",world\n");
        }
        long importId = ((Number) given().auth().oauth2(token).contentType("text/csv").body(csv.toString())
                .post("/api/v1/subscribers/imports").then().statusCode(202).extract().path("id")).longValue();
        String status = "RUNNING";
        for (int i = 0; i < 200 && "RUNNING".equals(status); i++) {
            Thread.sleep(50);
            status = given().auth().oauth2(token).get("/api/v1/subscribers/imports/" + importId).then().extract().path("status");
        }
        assertEquals("DONE", status);

        clock.set(Instant.parse("2026-03-02T08:00:00Z"));
        fixtures.published("Storm reaches the coast", "Body.", "world");
        clock.set(Instant.parse("2026-03-02T09:00:00Z"));
        Subscriber ana = fixtures.reader("ana@example.org", "Europe/Madrid", Frequency.DAILY, "world");
        Newsletter newsletter = daily("world");
        long readers = given().auth().oauth2(token).get("/api/v1/newsletters/" + newsletter.id + "/audience")
                .then().statusCode(200).extract().jsonPath().getLong("recipients");
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"expectedRecipients\":" + readers + "}")
                .post("/api/v1/newsletters/" + newsletter.id + "/issues").then().statusCode(201);
        sender.sendDue();
        assertEquals("SENT", delivery(ana.id).status());

        int size = dataSource.getConfiguration().connectionPoolConfiguration().maxSize();
        List<Connection> all = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) {
                all.add(dataSource.getConnection()); // every connection the pool holds, at once
            }
            for (Connection c : all) {
                // the driver names itself and Flyway sets search_path back to its default: both harmless
                assertEquals(List.of(), query(c, "select name || '=' || setting from pg_settings where source = 'session'"
                        + " and name not in ('application_name', 'search_path')"), "settings made at session level");
                assertEquals(List.of("true"), query(c, "select (current_setting('synchronous_commit') ="
                        + " (select reset_val from pg_settings where name = 'synchronous_commit'))::text"));
                assertEquals(List.of("origin"), query(c, "select current_setting('session_replication_role')"));
                assertEquals(List.of(), query(c, "select relname from pg_class where relnamespace = pg_my_temp_schema()"),
                        "temporary tables");
                assertTrue(c.getAutoCommit());
            }
        } finally {
            for (Connection c : all) {
                c.close();
            }
        }
    }

    private static List<String> query(Connection c, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
