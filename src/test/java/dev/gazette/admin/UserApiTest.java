package dev.gazette.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.gazette.testing.GazetteTest;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class UserApiTest extends GazetteTest {

    @Test
    void shouldCreateEditorWithBcryptHash() {
        String admin = fixtures.adminToken();
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"username\": \"Jane\", \"password\": \"a long enough password\", \"role\": \"editor\"}")
                .when().post("/api/v1/users")
                .then().statusCode(201)
                .body("username", equalTo("jane"))
                .body("role", equalTo("editor"))
                .body(not(containsString("password")));

        String hash = QuarkusTransaction.requiringNew().call(() -> User.findByUsername("jane").orElseThrow().passwordHash);
        assertTrue(hash.startsWith("$2"), "bcrypt hash expected");
        assertTrue(BcryptUtil.matches("a long enough password", hash));

        given().auth().oauth2(admin).when().get("/api/v1/users")
                .then().statusCode(200).body("username", hasItems("admin", "jane"));
    }

    @Test
    void shouldRejectDuplicateAndWeakInput() {
        String admin = fixtures.adminToken();
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"username\": \"admin\", \"password\": \"a long enough password\", \"role\": \"editor\"}")
                .when().post("/api/v1/users")
                .then().statusCode(409).body("violations[0].field", equalTo("username"));
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"username\": \"bad name!\", \"password\": \"short\", \"role\": \"owner\"}")
                .when().post("/api/v1/users")
                .then().statusCode(400).body("violations.field", hasItems("username", "password", "role"));
    }
}
