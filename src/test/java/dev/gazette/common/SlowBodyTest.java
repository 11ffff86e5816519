package dev.gazette.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.gazette.testing.GazetteTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Slow-body attack against the real HTTP stack: hundreds of connections that send a form body to {@code POST /subscribe}
 * a byte at a time, from ten loopback addresses so that the per-client limit does not hide them. Meanwhile the site
 * answers; each slow body gets 408 once its deadline ({@code %test.gazette.http.body-timeout=3s}) has passed.
 */
@QuarkusTest
class SlowBodyTest extends GazetteTest {

    private static final int SLOW_CLIENTS = 300;
    /** More than the 200 worker threads that the blocking body reader used to hold. */
    private static final int STILL_IN_FLIGHT = 200;
    private static final int MAX_PER_CLIENT = 32;
    private static final String SLOW_HEAD = "POST /subscribe HTTP/1.1\r\nHost: localhost\r\n"
            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nemail=";

    /** The rest of a slow body, sent at once: an address that is not one and padding fields, so the answer is 400. */
    private static final byte[] FILLER = filler(100000 - "email=".length());

    private final List<Socket> sockets = new ArrayList<>();
    private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void hangUp() {
        trickle.shutdownNow();
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed by the server
            }
        }
    }

    private static byte[] filler(int length) {
        StringBuilder form = new StringBuilder("nobody");
        while (length - form.length() > 1000) {
            form.append("&p=").append("a".repeat(997));
        }
        int rest = length - form.length();
        form.append(rest >= 3 ? "&p=" + "a".repeat(rest - 3) : "a".repeat(rest));
        return form.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private Socket slowBody(String source) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), RestAssured.port), 2000);
        socket.getOutputStream().write(SLOW_HEAD.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        sockets.add(socket);
        return socket;
    }

    /** One byte to every open slow connection every half second, for as long as the server keeps them open. */
    private void startTrickling(List<Socket> slow) {
        trickle.scheduleAtFixedRate(() -> {
            for (Socket socket : slow) {
                try {
                    socket.getOutputStream().write('a');
                    socket.getOutputStream().flush();
                } catch (IOException closed) {
                    // answered and closed by the server
                }
            }
        }, 500, 500, TimeUnit.MILLISECONDS);
    }

    private static String statusLine(Socket socket, int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1).trim();
    }

    private static String head(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b == -1) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private HttpResponse<String> timedGet(String path) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + path))
                .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos(), path + " took too long");
        return response;
    }

    private static long stillInFlight(List<Socket> slow) throws IOException {
        long open = 0;
        for (Socket socket : slow) {
            if (socket.getInputStream().available() == 0) {
                open++;
            }
        }
        return open;
    }

    @Test
    void shouldKeepAnsweringWhileHundredsOfBodiesTrickleIn() throws Exception {
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < SLOW_CLIENTS; i++) {
            slow.add(slowBody("127.0.0." + (2 + i % 10)));
        }
        startTrickling(slow);

        assertEquals(200, timedGet("/").statusCode());
        assertEquals(200, timedGet("/q/health/ready").statusCode());
        HttpResponse<String> subscribed = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + "/subscribe"))
                .timeout(Duration.ofSeconds(2)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("email=reader%40example.org")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, subscribed.statusCode());
        assertTrue(subscribed.body().contains("Check your inbox"), subscribed.body());
        long inFlight = stillInFlight(slow);
        assertTrue(inFlight >= STILL_IN_FLIGHT, "the checks ran after the slow bodies were answered: " + inFlight + " left");

        for (Socket socket : slow) {
            assertEquals("HTTP/1.1 408 Request Timeout", statusLine(socket, 8000));
        }
    }

    @Test
    void shouldRefuseMoreBodiesAtOnceFromOneClientAndFreeTheirPlacesOnHangUp() throws Exception {
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i <= MAX_PER_CLIENT; i++) {
            slow.add(slowBody("127.0.0.12"));
        }
        // the server may take them in any order: exactly one of the 33 is refused at once, whichever came last
        long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        List<Socket> answered = new ArrayList<>();
        while (answered.isEmpty() && System.nanoTime() < until) {
            Thread.sleep(50);
            for (Socket socket : slow) {
                if (socket.getInputStream().available() > 0) {
                    answered.add(socket);
                }
            }
        }
        assertEquals(1, answered.size());
        Socket oneTooMany = answered.get(0);
        oneTooMany.setSoTimeout(2000);
        String refused = head(oneTooMany);
        assertTrue(refused.startsWith("HTTP/1.1 429 Too Many Requests"), refused);
        assertTrue(refused.toLowerCase(java.util.Locale.ROOT).contains("retry-after: 3"), refused);
        slow.remove(oneTooMany);
        assertEquals(MAX_PER_CLIENT, stillInFlight(slow));
        // another address is not affected
        Socket other = slowBody("127.0.0.13");
        other.getOutputStream().write(FILLER);
        assertEquals("HTTP/1.1 400 Bad Request", statusLine(other, 2000));

        for (Socket socket : slow) {
            socket.close();
        }
        // the server notices the hang-ups and frees their places: the same address is served again
        until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        String status;
        do {
            Socket again = slowBody("127.0.0.12");
            again.getOutputStream().write(FILLER);
            status = statusLine(again, 2000);
        } while (status.contains("429") && System.nanoTime() < until);
        assertEquals("HTTP/1.1 400 Bad Request", status);
    }
}
