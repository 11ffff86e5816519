package dev.gazette.subscriber;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.testing.GazetteTest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * RFC 8058 one-click unsubscribe over raw HTTP, as mailbox providers (and broken ones) send it: whatever the body,
 * the token alone decides, the answer is 200, and the token never reaches a log line.
 */
@QuarkusTest
class OneClickUnsubscribeTest extends GazetteTest {

    @Inject
    SubscriberLinks links;

    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(String.valueOf(record.getMessage()) + " " + java.util.Arrays.toString(record.getParameters())
                    + " " + (record.getThrown() == null ? "" : record.getThrown().toString()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLogs() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger("").removeHandler(capture);
    }

    /** Sends a request as given, bytes and all, and returns the status line of the answer once the server has closed. */
    private static String send(String head, byte[] body) throws IOException {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
                line.write(b);
            }
            // the server closes the connection after its answer: nothing of the unread body is taken for a request
            in.readAllBytes();
            return line.toString(StandardCharsets.ISO_8859_1).trim();
        }
    }

    /** Sends a request as given and returns the whole answer, head and body, once the server has closed. */
    private static String exchange(String head, byte[] body) throws IOException {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private void assertNoLogLineHolds(String token) {
        for (String line : logged) {
            assertTrue(!line.contains(token), "a log line holds the token: " + line);
        }
    }

    private void assertUnsubscribedWhatever(String contentType, byte[] body, String framing) throws IOException {
        Subscriber reader = fixtures.activeSubscriber("reader" + System.nanoTime() + "@example.org");
        String token = links.unsubscribeToken(reader.id);
        String head = "POST /u/" + token + " HTTP/1.1\r\nHost: localhost\r\n"
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n") + framing + "\r\n";
        String status = send(head, body);
        assertEquals("HTTP/1.1 200 OK", status, contentType + " " + framing);
        Subscriber after = QuarkusTransaction.requiringNew().call(() -> Subscriber.findById(reader.id));
        assertEquals(SubscriberStatus.UNSUBSCRIBED, after.status, contentType + " " + framing);
        for (String line : logged) {
            assertTrue(!line.contains(token), "a log line holds the token: " + line);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aTruncatedMultipartBodyStillUnsubscribes() throws IOException {
        byte[] part = bytes("--XYZ\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Cl");
        assertUnsubscribedWhatever("multipart/form-data; boundary=XYZ", part, "Content-Length: " + (part.length + 400) + "\r\n");
    }

    @Test
    void aMalformedFormBodyStillUnsubscribes() throws IOException {
        byte[] body = bytes("%%%=\u00ff\u00fe%zz&List-Unsubscribe=One-Click");
        assertUnsubscribedWhatever("application/x-www-form-urlencoded", body, "Content-Length: " + body.length + "\r\n");
        byte[] garbage = bytes("%zz&&==");
        assertUnsubscribedWhatever("application/x-www-form-urlencoded", garbage, "Content-Length: " + garbage.length + "\r\n");
    }

    @Test
    void aBodyOfAnyOtherTypeStillUnsubscribes() throws IOException {
        byte[] binary = { 0, (byte) 0xff, (byte) 0xfe, 'x', 0, '\r', '\n' };
        assertUnsubscribedWhatever("application/octet-stream", binary, "Content-Length: " + binary.length + "\r\n");
        byte[] json = bytes("{\"List-Unsubscribe\": \"One-Click\"}");
        assertUnsubscribedWhatever("application/json", json, "Content-Length: " + json.length + "\r\n");
        assertUnsubscribedWhatever("text/plain; charset=utf-8", bytes("List-Unsubscribe=One-Click"), "Content-Length: 26\r\n");
    }

    @Test
    void aClientThatHangsUpMidBodyBreaksNothing() throws Exception {
        Subscriber hungUp = fixtures.activeSubscriber("hung-up@example.org");
        String hungUpToken = links.unsubscribeToken(hungUp.id);
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(bytes("POST /u/" + hungUpToken + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"));
            out.write(bytes("List-Unsubscribe=One-Click&" + "x".repeat(473)));
            out.flush();
        }
        // the next one-click, on a fresh connection, is answered as usual
        byte[] form = bytes("List-Unsubscribe=One-Click");
        assertUnsubscribedWhatever("application/x-www-form-urlencoded", form, "Content-Length: " + form.length + "\r\n");
        assertNoLogLineHolds(hungUpToken);
    }

    @Test
    void garbledTokensGetAFriendlyPageWith400() throws IOException {
        Subscriber reader = fixtures.activeSubscriber("reader@example.org");
        String real = links.unsubscribeToken(reader.id);
        List<String> garbled = List.of("x", "not-a-token", "a.b.c", "%25zz.%00", "....", real + "x", real.replace('.', '_'),
                real.substring(0, real.length() / 2), "%F0%9F%92%A9." + real.substring(real.indexOf('.') + 1), "A".repeat(2000));
        for (String token : garbled) {
            String answer = exchange("POST /u/" + token + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 26\r\n\r\n", bytes("List-Unsubscribe=One-Click"));
            assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request"), token + ": " + answer);
            assertTrue(answer.contains("text/html"), token + ": " + answer);
            assertTrue(answer.contains("<h1>"), token + ": " + answer);
            assertTrue(!answer.contains("Exception") && !answer.contains("dev.gazette"), token + ": " + answer);
            assertNoLogLineHolds(token);
        }
        assertEquals(SubscriberStatus.ACTIVE,
                QuarkusTransaction.requiringNew().call(() -> ((Subscriber) Subscriber.findById(reader.id)).status));
    }

    @Test
    void anyOtherBodyOrFramingStillUnsubscribes() throws IOException {
        byte[] form = bytes("List-Unsubscribe=One-Click");
        assertUnsubscribedWhatever("multipart/form-data", form, "Content-Length: " + form.length + "\r\n");
        assertUnsubscribedWhatever("application/x-www-form-urlencoded; charset=klingon", form,
                "Content-Length: " + form.length + "\r\n");
        assertUnsubscribedWhatever("application/json", bytes("{not json"), "Content-Length: 9\r\n");
        assertUnsubscribedWhatever(null, new byte[0], "Content-Length: 0\r\n");
        assertUnsubscribedWhatever("application/x-www-form-urlencoded", bytes("1a\r\nList-Unsubscribe=One-Click\r\n0\r\n\r\n"),
                "Transfer-Encoding: chunked\r\n");
    }

    @Test
    void aForgedTokenIsRefusedWithoutLoggingIt() throws IOException {
        Subscriber reader = fixtures.activeSubscriber("reader@example.org");
        String forged = links.unsubscribeToken(reader.id).substring(0, 20) + "AAAAAAAAAAAAAAAAAAAAAA";
        String status = send("POST /u/" + forged + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n", new byte[0]);
        assertEquals("HTTP/1.1 400 Bad Request", status);
        assertEquals(SubscriberStatus.ACTIVE,
                QuarkusTransaction.requiringNew().call(() -> ((Subscriber) Subscriber.findById(reader.id)).status));
        for (String line : logged) {
            assertTrue(!line.contains(forged), "a log line holds the token: " + line);
        }
    }

    @Test
    void otherPublicFormsAnswerAMalformedBodyWith400() throws IOException {
        byte[] body = bytes("%%%=\u00ff&email=reader@example.org");
        for (String path : List.of("/subscribe", "/confirm/abc.def", "/preferences/abc.def")) {
            String status = send("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length + "\r\n\r\n", body);
            assertEquals("HTTP/1.1 400 Bad Request", status, path);
        }
        for (String line : logged) {
            assertTrue(!line.contains("Unexpected error"), "logged as a server error: " + line);
        }
    }
}
