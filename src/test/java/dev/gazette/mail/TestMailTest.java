package dev.gazette.mail;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import dev.gazette.testing.GazetteTest;
import io.quarkus.mailer.Mail;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class TestMailTest extends GazetteTest {

    private static final String READER = "reader@example.org";

    @Inject
    MailService mail;

    @Test
    void shouldSendSingleMessagesThroughTheOwnClientSoNoneWaitsForATimeout() throws Exception {
        // Confirmations are single messages a request waits for. Through Quarkus Mailer, a lost greeting from a
        // server on the same host made one wait for the whole send timeout now and then; the own client has no such race.
        assertTrue(mail.transport().describe().contains("own SMTP client"), mail.transport().describe());
        long started = System.nanoTime();
        ExecutorService requests = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> sends = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                String to = "reader" + i + "@example.org";
                sends.add(requests.submit(() -> mail.send(Mail.withText(to, "Confirm your subscription", "Please confirm."), "confirmation")));
            }
            for (Future<?> send : sends) {
                send.get();
            }
        } finally {
            requests.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        assertTrue(greenMail.waitForIncomingEmail(10_000, 1000));
        assertEquals(1000, greenMail.getReceivedMessages().length);
        // far below the 30 s send timeout one stalled message would cost
        assertTrue(seconds < 20, "1,000 single messages took " + seconds + " s");
    }

    @Test
    void shouldDeliverTestMessageOverSmtp() throws Exception {
        String admin = fixtures.adminToken();
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"to\": \"" + READER + "\"}")
                .when().post("/api/v1/mail/test")
                .then().statusCode(202)
                .body("transport", startsWith("SMTP 127.0.0.1:"));

        assertTrue(greenMail.waitForIncomingEmail(5000, 1));
        MimeMessage message = greenMail.getReceivedMessages()[0];
        assertEquals("Test message from Gazette", message.getSubject());
        assertEquals(READER, ((InternetAddress) message.getRecipients(MimeMessage.RecipientType.TO)[0]).getAddress());
        assertEquals("noreply@localhost", ((InternetAddress) message.getFrom()[0]).getAddress());
        assertEquals("auto-generated", message.getHeader("Auto-Submitted", null));
        assertNotNull(message.getMessageID());
        assertNotNull(message.getSentDate());
        assertTrue(((String) message.getContent()).contains("outgoing mail works"));
    }

    @Test
    void shouldValidateAddress() {
        String admin = fixtures.adminToken();
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"to\": \"not an address\"}")
                .when().post("/api/v1/mail/test")
                .then().statusCode(400)
                .body("violations[0].field", equalTo("to"));
        assertEquals(0, greenMail.getReceivedMessages().length);
    }

    @Test
    void shouldReportSmtpServerInItsOwnCheckNotInReadiness() {
        given().when().get("/q/health/well")
                .then().statusCode(200)
                .body("checks.find { it.name == 'Mail transport' }.status", equalTo("UP"));

        greenMail.stop();
        try {
            // The public site stays in the load balancer while mail waits in the ledger.
            given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
            given().when().get("/q/health/well")
                    .then().statusCode(503)
                    .body("status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'Mail transport' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'Mail transport' }.data.setting", equalTo("QUARKUS_MAILER_HOST / QUARKUS_MAILER_PORT"));
            given().when().get("/q/health").then().statusCode(503);
        } finally {
            greenMail.start();
        }
        given().when().get("/q/health/well").then().statusCode(200);
    }
}
