package dev.gazette.fediverse.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.gazette.common.EmbeddedDatabase;
import dev.gazette.testing.GazetteProcess;

/**
 * A fan-out interrupted by {@code kill -9} is finished by the next start, once per shared inbox: the packaged Gazette,
 * in its own JVM on a PostgreSQL that outlives it, delivers an article to 200 shared inboxes, each on a host of its own
 * (127.0.1.1 to 127.0.1.200, one receiver listening on all of them), and is killed as the 50th Create arrives. After
 * the restart every inbox has the Create; an inbox gets it twice only if its request was under way when the process
 * died (at most one per host being worked, so at most the sender's parallelism), and the copy carries the same
 * activity id, on which the receiver deduplicates.
 * <p>
 * The hosts the dead process was working on, and the rows it had claimed for them, stay leased for
 * {@link DeliverySender#LEASE}; this test moves the clock of those leases forward (the process is down, so nothing
 * else touches them) instead of waiting, after checking that they are no more than the hosts worked at once.
 */
class DeliveryRestartIT {

    private static final Duration START = Duration.ofSeconds(90);
    private static final int INBOXES = 200;
    private static final int KILL_AT = 50;
    /** The hosts the sender works at once, set through its setting; it bounds the copies a kill can cause. */
    private static final int CONCURRENCY = 8;
    /** How long each inbox takes to answer, as a remote server does: the kill finds requests under way. */
    private static final long LATENCY_MS = 150;
    private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
    private static final Pattern SIGNATURE = Pattern.compile(
            "keyId=\"([^\"]+)\",algorithm=\"rsa-sha256\",headers=\"([^\"]+)\",signature=\"([^\"]+)\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    private EmbeddedDatabase database;
    private HttpServer receiver;
    private ExecutorService receiverThreads;
    private GazetteProcess running;

    /** What the inboxes received: "host activity-id" to copies, in arrival order of the first copy. */
    private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    private final AtomicInteger arrivals = new AtomicInteger();
    /** Requests whose draft-cavage signature did not verify against the key the actor publishes (checked here). */
    private final AtomicInteger unverified = new AtomicInteger();
    private volatile java.security.PublicKey publicationKey;
    private volatile GazetteProcess killOnArrival;
    private final AtomicBoolean killed = new AtomicBoolean();
    private volatile int receivedAtKill = -1;

    @AfterEach
    void stop() throws Exception {
        if (running != null && running.process().isAlive()) {
            running.terminate(Duration.ofSeconds(60));
        }
        if (receiver != null) {
            receiver.stop(0);
            receiverThreads.shutdownNow();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void aFanOutKilledHalfWayReachesEveryInboxOnceExceptThoseUnderWay() throws Exception {
        database = EmbeddedDatabase.start(work.resolve("pg"), 0);
        int receiverPort = startReceiver();
        int port = GazetteProcess.freePort();
        Map<String, String> env = environment();

        GazetteProcess first = GazetteProcess.start(work, port, env).awaitReady(START);
        running = first;
        publicationKey = publicationKey(first);
        seedFollowers(receiverPort);
        String token = token(first);
        String article = post(first, token, "/api/v1/articles", """
                {"title": "Rivers are rising", "summary": "What the new flood maps show.", "body": "Paragraph one."}""");
        Matcher id = ID.matcher(article);
        assertTrue(id.find(), article);
        post(first, token, "/api/v1/articles/" + id.group(1) + "/publish", "");
        // armed once the publish call has its answer, so that the kill never cuts the editor's request
        killOnArrival = first;

        // the receiver kills the process as the KILL_AT-th Create (or the first after it) arrives, before answering it
        assertTrue(first.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS),
                "killed mid-fan-out; arrivals so far " + arrivals.get() + ":\n" + first.log());
        Thread.sleep(LATENCY_MS * 2);
        int beforeRestart = arrivals.get();
        assertTrue(receivedAtKill >= KILL_AT && beforeRestart < INBOXES,
                "some but not all inboxes had it when the process died: " + beforeRestart);
        int leased = expireLeasesOfTheDeadProcess();
        assertTrue(leased > 0 && leased <= CONCURRENCY, "the dead process held the hosts it was working on: " + leased);

        running = GazetteProcess.start(work, port, env).awaitReady(START);
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (settled() < INBOXES && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        Thread.sleep(LATENCY_MS * 3);

        String expected = "https://news.example.org/articles/rivers-are-rising#create";
        Map<String, Integer> copiesPerInbox = new TreeMap<>();
        received.forEach((key, copies) -> {
            String[] hostAndId = key.split(" ", 2);
            assertEquals(expected, hostAndId[1], "every copy carries the article's one activity id");
            copiesPerInbox.merge(hostAndId[0], copies.get(), Integer::sum);
        });
        assertEquals(INBOXES, copiesPerInbox.size(), "every inbox received the Create:\n" + running.log());
        List<String> twice = copiesPerInbox.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        assertTrue(copiesPerInbox.values().stream().allMatch(n -> n <= 2), "at most one repeat per inbox: " + copiesPerInbox);
        // the request the kill interrupted (the KILL_AT-th) is one of them; the others were under way on other hosts
        assertTrue(!twice.isEmpty() && twice.size() <= CONCURRENCY,
                "only the requests under way at the kill were repeated (at most " + CONCURRENCY + "): " + twice);
        assertEquals(INBOXES + twice.size(), arrivals.get(), "no other request reached an inbox");
        assertEquals(0, unverified.get(), "every request's signature verified against the actor's key");
        assertEquals(INBOXES, settled(), "every row is delivered");
        System.out.printf("killed at %d arrivals (%d before the restart), %d hosts left leased, repeated after the restart: %s%n",
                receivedAtKill, beforeRestart, leased, twice);
    }

    private Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", EmbeddedDatabase.USER);
        env.put("QUARKUS_DATASOURCE_PASSWORD", "");
        env.put("GAZETTE_SECRETS_TOKEN_SIGNING_KEY", "dGVzdC1zaWduaW5nLWtleS10ZXN0LXNpZ25pbmcta2V5LTEyMzQ=");
        env.put("GAZETTE_SECRETS_CREDENTIAL_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
        env.put("GAZETTE_SITE_BASE_URL", "https://news.example.org");
        env.put("GAZETTE_FEDIVERSE_ENABLED", "true");
        env.put("GAZETTE_FEDIVERSE_ALLOW_PRIVATE_ADDRESSES", "true");
        env.put("GAZETTE_FEDIVERSE_DELIVERY_INTERVAL", "1s");
        env.put("GAZETTE_FEDIVERSE_DELIVERY_CONCURRENCY", Integer.toString(CONCURRENCY));
        return env;
    }

    /** One receiver on every loopback address: each 127.0.1.x is a host of its own to the sender. */
    private int startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("0.0.0.0", 0), 1024);
        receiverThreads = Executors.newFixedThreadPool(64);
        receiver.setExecutor(receiverThreads);
        receiver.createContext("/inbox", this::inbox);
        receiver.start();
        return receiver.getAddress().getPort();
    }

    private void inbox(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!verified(exchange, body.getBytes(StandardCharsets.UTF_8))) {
                unverified.incrementAndGet();
            }
            String key = exchange.getRequestHeaders().getFirst("Host") + " " + JSON.readTree(body).path("id").asText("(no id)");
            received.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            int n = arrivals.incrementAndGet();
            GazetteProcess victim = killOnArrival;
            if (n >= KILL_AT && victim != null && killed.compareAndSet(false, true)) {
                receivedAtKill = n;
                victim.process().toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                victim.process().destroyForcibly();
            }
            Thread.sleep(LATENCY_MS);
            exchange.sendResponseHeaders(202, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The publication's public key, as a remote server reads it from the actor. */
    private static java.security.PublicKey publicationKey(GazetteProcess gazette) throws Exception {
        var response = gazette.send(HttpRequest.newBuilder(gazette.uri("/ap/actor"))
                .header("Accept", "application/activity+json").GET());
        assertEquals(200, response.statusCode(), response.body());
        String pem = JSON.readTree(response.body()).path("publicKey").path("publicKeyPem").asText();
        byte[] der = Base64.getDecoder().decode(pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", ""));
        return java.security.KeyFactory.getInstance("RSA").generatePublic(new java.security.spec.X509EncodedKeySpec(der));
    }

    /**
     * Checks a draft-cavage signature as a receiving server does, with this test's own code: the signing string rebuilt
     * from {@code (request-target) host date digest}, the Digest against the body, SHA256withRSA with the actor's key.
     */
    private boolean verified(HttpExchange exchange, byte[] body) {
        var headers = exchange.getRequestHeaders();
        Matcher m = SIGNATURE.matcher(String.valueOf(headers.getFirst("Signature")));
        if (!m.matches() || !m.group(1).equals("https://news.example.org/ap/actor#main-key")
                || !m.group(2).equals("(request-target) host date digest")) {
            return false;
        }
        try {
            String digest = "SHA-256=" + Base64.getEncoder().encodeToString(
                    java.security.MessageDigest.getInstance("SHA-256").digest(body));
            if (!digest.equals(headers.getFirst("Digest"))) {
                return false;
            }
            String base = "(request-target): post " + exchange.getRequestURI().getRawPath() + "\nhost: "
                    + headers.getFirst("Host") + "\ndate: " + headers.getFirst("Date") + "\ndigest: " + digest;
            java.security.Signature verifier = java.security.Signature.getInstance("SHA256withRSA");
            verifier.initVerify(publicationKey);
            verifier.update(base.getBytes(StandardCharsets.UTF_8));
            return verifier.verify(Base64.getDecoder().decode(m.group(3)));
        } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private void seedFollowers(int receiverPort) throws SQLException {
        try (Connection db = connect(); PreparedStatement insert = db.prepareStatement("""
                insert into fediverse_follower (actor_id, inbox, shared_inbox, host, follow_activity_id, accepted_at, created_at)
                values (?, ?, ?, ?, ?, now() - interval '1 day', now() - interval '1 day')""")) {
            for (int i = 1; i <= INBOXES; i++) {
                String host = "127.0.1." + i + ":" + receiverPort;
                insert.setString(1, "http://" + host + "/users/reader");
                insert.setString(2, "http://" + host + "/users/reader/inbox");
                insert.setString(3, "http://" + host + "/inbox");
                insert.setString(4, host);
                insert.setString(5, "http://" + host + "/follows/1");
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * Moves the leases the dead process held past their end, as the clock would in {@link DeliverySender#LEASE};
     * returns how many hosts it held.
     */
    private int expireLeasesOfTheDeadProcess() throws SQLException {
        String earlier = " - interval '" + DeliverySender.LEASE.toSeconds() + " seconds'";
        try (Connection db = connect(); Statement statement = db.createStatement()) {
            statement.executeUpdate("update fediverse_delivery set next_attempt_at = next_attempt_at" + earlier
                    + " where status in ('PENDING', 'RETRY') and next_attempt_at > now()");
            return statement.executeUpdate("update fediverse_host set lease_until = lease_until" + earlier
                    + " where lease_until > now()");
        }
    }

    private int settled() throws SQLException {
        try (Connection db = connect(); Statement statement = db.createStatement();
                ResultSet rs = statement.executeQuery("select count(*) from fediverse_delivery where status = 'DELIVERED'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), EmbeddedDatabase.USER, "");
    }

    private static String post(GazetteProcess gazette, String token, String path, String json) throws Exception {
        var response = gazette.send(HttpRequest.newBuilder(gazette.uri(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
        assertTrue(response.statusCode() / 100 == 2, path + ": " + response.statusCode() + " " + response.body());
        return response.body();
    }

    /** A new API token of the administrator, through HTTP Basic. */
    private static String token(GazetteProcess gazette) throws Exception {
        String basic = Base64.getEncoder().encodeToString(("admin:" + GazetteProcess.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        var response = gazette.send(HttpRequest.newBuilder(gazette.uri("/api/v1/tokens"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"it-fediverse\"}")));
        assertEquals(201, response.statusCode(), response.body());
        Matcher m = TOKEN.matcher(response.body());
        assertTrue(m.find());
        return m.group(1);
    }
}
