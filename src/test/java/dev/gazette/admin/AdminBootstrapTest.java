package dev.gazette.admin;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.gazette.testing.GazetteTest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class AdminBootstrapTest extends GazetteTest {

    @Inject
    AdminBootstrap bootstrap;

    @Test
    void shouldCreateFirstAdminWithConfiguredPasswordOnlyOnce() {
        bootstrap.onStart(null);
        bootstrap.onStart(null);

        given().auth().preemptive().basic("admin", "bootstrap-password-for-tests")
                .contentType(ContentType.JSON).body("{\"name\": \"first\"}")
                .when().post("/api/v1/tokens")
                .then().statusCode(201);
        long users = QuarkusTransaction.requiringNew().call(() -> User.count());
        assertEquals(1L, users);
    }
}
