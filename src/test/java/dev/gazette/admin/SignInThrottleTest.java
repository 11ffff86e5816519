package dev.gazette.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.apache.http.conn.params.ConnRoutePNames;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.testing.Fixtures;
import dev.gazette.testing.GazetteTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Guessing passwords, as the audit did: 200 wrong form logins and 200 wrong HTTP Basic logins, each from one loopback
 * address or from many. After the free attempts the answer is 429 with {@code Retry-After} and the password is not
 * checked, while the real administrator, from a client that signed in before, still gets in.
 */
@QuarkusTest
class SignInThrottleTest extends GazetteTest {

    private static final String ATTACKER = "127.0.0.1";
    private static final String ADMINS_LAPTOP = "127.0.0.3";
    private static final String TOKENS = "/api/v1/tokens";
    private static final int FREE = 5;

    @Inject
    UserService users;

    @Inject
    SignInService signIns;

    @Inject
    SignInThrottle throttle;

    @Inject
    EntityManager em;

    @BeforeEach
    void admin() {
        fixtures.admin();
    }

    /** A request sent from the given loopback address, so that each address is another client. */
    private static RequestSpecification from(String address) {
        try {
            return given().config(RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                    .setParam(ConnRoutePNames.LOCAL_ADDRESS, InetAddress.getByName(address)))).redirects().follow(false);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Response form(String address, String user, String password) {
        return from(address).contentType(ContentType.URLENC).formParam("j_username", user).formParam("j_password", password)
                .post("/admin/j_security_check");
    }

    private static Response basic(String address, String user, String password) {
        return from(address).auth().preemptive().basic(user, password).contentType(ContentType.JSON)
                .body("{\"name\": \"CMS\"}").post(TOKENS);
    }

    private static void assertThrottled(Response answer) {
        assertEquals(429, answer.statusCode(), answer.asString());
        String retryAfter = answer.header("Retry-After");
        assertNotNull(retryAfter, "Retry-After");
        assertTrue(Long.parseLong(retryAfter) >= 1, retryAfter);
    }

    @Test
    void twoHundredWrongFormLoginsAreThrottledAfterTheFreeAttempts() {
        for (int i = 1; i <= 200; i++) {
            Response answer = form(ATTACKER, Fixtures.ADMIN, "guess number " + i);
            if (i <= FREE) {
                assertEquals(302, answer.statusCode(), "attempt " + i);
                assertTrue(answer.header("Location").endsWith("/admin/login?error=true"));
            } else {
                assertThrottled(answer);
                assertTrue(answer.contentType().startsWith("text/html"), answer.contentType());
                assertTrue(answer.asString().contains("Too many failed sign-ins"), answer.asString());
                assertTrue(answer.asString().contains("j_security_check"), "the form again");
            }
        }
        // the right password is not even checked while throttled
        assertThrottled(form(ATTACKER, Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD));
        // another client signs in
        Response admin = form(ADMINS_LAPTOP, Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD);
        assertEquals(302, admin.statusCode());
        assertTrue(admin.header("Location").endsWith("/admin"), admin.header("Location"));
        assertNotNull(admin.getCookie("gazette-session"));
    }

    @Test
    void twoHundredWrongBasicLoginsAreThrottledWithProblemJson() {
        for (int i = 1; i <= 200; i++) {
            Response answer = basic(ATTACKER, Fixtures.ADMIN, "guess number " + i);
            if (i <= FREE) {
                assertEquals(401, answer.statusCode(), "attempt " + i);
            } else {
                assertThrottled(answer);
                assertTrue(answer.contentType().startsWith("application/problem+json"), answer.contentType());
                assertEquals(429, answer.jsonPath().getInt("status"));
                assertTrue(answer.jsonPath().getString("detail").endsWith("try again in 1 second."), answer.asString());
            }
        }
        assertThrottled(basic(ATTACKER, Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD));
        basic(ADMINS_LAPTOP, Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD).then().statusCode(201);

        // throttled attempts count nothing: once the wait is over, the attacker's client may try again
        clock.advance(Duration.ofSeconds(Long.parseLong(basic(ATTACKER, Fixtures.ADMIN, "x").header("Retry-After"))));
        basic(ATTACKER, Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD).then().statusCode(201);
    }

    @Test
    void theWaitDoublesWithEachFailureUpToTheMaximumAndFailuresAreForgottenAfterAnHour() {
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Response answer = form(ATTACKER, Fixtures.ADMIN, "wrong");
            if (answer.statusCode() == 429) {
                long wait = Long.parseLong(answer.header("Retry-After"));
                waits.add(wait);
                clock.advance(Duration.ofSeconds(wait));
            }
        }
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 512L, 900L), waits.subList(0, 11));
        clock.advance(Duration.ofMinutes(61));
        assertEquals(302, form(ATTACKER, Fixtures.ADMIN, "wrong").statusCode(), "forgotten after an hour");
    }

    @Test
    void guessingFromManyClientsThrottlesTheAccountButNotTheClientsItsOwnerUsed() {
        form(ADMINS_LAPTOP, Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD).then().statusCode(302).header("Location", endsWith("/admin"));
        // 120 guesses from 24 addresses, 5 each: no single client is throttled, the account is after 100
        for (int i = 0; i < 120; i++) {
            Response answer = form("127.0.1." + (10 + i / FREE), Fixtures.ADMIN, "guess " + i);
            assertEquals(i < 100 ? 302 : 429, answer.statusCode(), "guess " + i);
        }
        assertThrottled(form("127.0.2.1", Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD));
        assertThrottled(basic("127.0.2.1", Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD));
        // the administrator's own laptop is not locked out
        form(ADMINS_LAPTOP, Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD).then().statusCode(302).header("Location", endsWith("/admin"));
        basic(ADMINS_LAPTOP, Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD).then().statusCode(201);
    }

    @Test
    void oneClientGuessingManyAccountsIsThrottledToo() {
        for (int i = 1; i <= 20; i++) {
            assertEquals(302, form(ATTACKER, "user" + i, "wrong").statusCode(), "attempt " + i);
        }
        assertThrottled(form(ATTACKER, "user21", "wrong"));
        assertThrottled(form(ATTACKER, Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD));
    }

    @Test
    void unknownAndKnownUsersGetTheSameAnswers() {
        for (int i = 1; i <= 8; i++) {
            Response known = basic("127.0.3.1", Fixtures.ADMIN, "wrong");
            Response unknown = basic("127.0.3.2", "nobody", "wrong");
            assertEquals(known.statusCode(), unknown.statusCode(), "attempt " + i);
            assertEquals(known.header("Retry-After"), unknown.header("Retry-After"));
            assertEquals(known.header("WWW-Authenticate"), unknown.header("WWW-Authenticate"));
            assertEquals(known.asString(), unknown.asString());

            Response knownForm = form("127.0.3.3", Fixtures.ADMIN, "wrong");
            Response unknownForm = form("127.0.3.4", "nobody", "wrong");
            assertEquals(knownForm.statusCode(), unknownForm.statusCode(), "attempt " + i);
            assertEquals(knownForm.header("Location"), unknownForm.header("Location"));
            assertEquals(knownForm.asString(), unknownForm.asString());
        }
    }

    @Test
    void anUnknownNameTakesAsLongToRefuseAsAWrongPassword() {
        // warm up, then the median of many: an unknown name is checked against a hash too
        for (int i = 0; i < 5; i++) {
            users.check(Fixtures.ADMIN, "wrong");
            users.check("nobody", "wrong");
        }
        long known = median(() -> users.check(Fixtures.ADMIN, "wrong"));
        long unknown = median(() -> users.check("nobody", "wrong"));
        assertTrue(unknown * 2 > known && known * 2 > unknown, "known " + known + " ns, unknown " + unknown + " ns");
    }

    private static long median(Runnable check) {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            long start = System.nanoTime();
            check.run();
            times.add(System.nanoTime() - start);
        }
        times.sort(null);
        return times.get(times.size() / 2);
    }

    @Test
    void failuresAndThrottledAttemptsAreCounted() {
        for (int i = 0; i <= FREE; i++) {
            form(ATTACKER, Fixtures.ADMIN, "wrong");
            basic("127.0.4.1", "nobody", "wrong");
        }
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("gazette_login_failures_total{reason=\"wrong_password\",via=\"form\"}"), metrics);
        assertTrue(metrics.contains("gazette_login_failures_total{reason=\"unknown_user\",via=\"basic\"}"), metrics);
        assertTrue(metrics.contains("gazette_login_throttled_total{via=\"form\"}"), metrics);
        assertTrue(metrics.contains("gazette_login_throttled_total{via=\"basic\"}"), metrics);
    }

    @Test
    void aClientIsAnIpv4AddressOrAnIpv6NetworkAndNeverItsAddressInClear() {
        // one machine commonly holds a whole IPv6 /64: counting single addresses would count nothing
        assertEquals(signIns.clientKey("2001:db8:1:2::1"), signIns.clientKey("2001:db8:1:2:ffff:ffff:ffff:ffff"));
        assertNotEquals(signIns.clientKey("2001:db8:1:2::1"), signIns.clientKey("2001:db8:1:3::1"));
        assertEquals(signIns.clientKey("10.0.0.1"), signIns.clientKey("::ffff:10.0.0.1"));
        assertNotEquals(signIns.clientKey("10.0.0.1"), signIns.clientKey("10.0.0.2"));
        assertTrue(signIns.clientKey("10.0.0.1").matches("[0-9a-f]{64}"));
        assertNotEquals(signIns.clientKey("not an address"), signIns.clientKey(null));
    }

    @Test
    void thePurgeForgetsOldFailuresAndClientsNotSeenFor30Days() {
        form(ADMINS_LAPTOP, Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD).then().statusCode(302);
        form(ATTACKER, Fixtures.ADMIN, "wrong").then().statusCode(302);
        // the attacker's pair and client, the account, and the laptop's client (its claim forgiven, count 0)
        assertEquals(4L, rows("sign_in_failure"));
        throttle.purge();
        assertEquals(4L, rows("sign_in_failure"), "an hour has not passed");
        clock.advance(Duration.ofMinutes(61));
        throttle.purge();
        assertEquals(0L, rows("sign_in_failure"));
        assertEquals(1L, rows("sign_in_known_client"));
        clock.advance(Duration.ofDays(30));
        throttle.purge();
        assertEquals(0L, rows("sign_in_known_client"));
    }

    private long rows(String table) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(
                () -> ((Number) em.createNativeQuery("select count(*) from " + table).getSingleResult()).longValue());
    }

    @Test
    void aSuccessfulSignInStartsTheAccountAndClientAfresh() {
        for (int i = 0; i < FREE - 1; i++) {
            form(ATTACKER, Fixtures.ADMIN, "wrong").then().statusCode(302).header("Location", endsWith("error=true"));
        }
        form(ATTACKER, Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD).then().statusCode(302).header("Location", endsWith("/admin"));
        for (int i = 0; i < FREE - 1; i++) {
            form(ATTACKER, Fixtures.ADMIN, "wrong").then().statusCode(302).header("Location", endsWith("error=true"));
        }
    }
}
