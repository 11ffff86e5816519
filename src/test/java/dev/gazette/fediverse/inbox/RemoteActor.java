package dev.gazette.fediverse.inbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.gazette.fediverse.FediverseProfile;
import io.restassured.response.ValidatableResponse;

/**
 * A Mastodon-like account on WireMock, written without Gazette's signature code: it has its own RSA key, serves its
 * actor document with the public half, and signs the activities it sends with draft-cavage over a signing string it
 * builds itself (JDK {@link Signature}), as Mastodon does.
 */
public final class RemoteActor {

    static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final KeyPair SHARED_KEYS = generate();

    public final WireMockServer server;
    public final String name;
    public final KeyPair keys;
    /** Where the actor's server is, as its ids name it: the WireMock's own URL unless another was given. */
    private final String base;

    public RemoteActor(WireMockServer server, String name) {
        this(server, name, SHARED_KEYS);
    }

    public RemoteActor(WireMockServer server, String name, KeyPair keys) {
        this(server, null, name, keys);
    }

    /**
     * An actor served by {@code server} but named under {@code base}, another host that reaches the same WireMock
     * (e.g. {@code http://127.0.0.1:port} next to {@code http://localhost:port}): a second server in one test.
     */
    public RemoteActor(WireMockServer server, String base, String name, KeyPair keys) {
        this.server = server;
        this.name = name;
        this.keys = keys;
        this.base = base;
    }

    public String baseUrl() {
        return base != null ? base : server.baseUrl();
    }

    public String id() {
        return baseUrl() + "/users/" + name;
    }

    public String keyId() {
        return id() + "#main-key";
    }

    public String inboxPath() {
        return "/users/" + name + "/inbox";
    }

    /** Serves the actor document, key included, at its id, as Mastodon does. */
    public RemoteActor serve() {
        server.stubFor(get(urlPathEqualTo("/users/" + name)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/activity+json").withBody(document(keys.getPublic()))));
        return this;
    }

    public String document(PublicKey key) {
        return """
                {"@context":["https://www.w3.org/ns/activitystreams","https://w3id.org/security/v1"],
                 "id":"%1$s","type":"Person","preferredUsername":"%2$s","inbox":"%1$s/inbox","outbox":"%1$s/outbox",
                 "endpoints":{"sharedInbox":"%3$s/inbox"},
                 "publicKey":{"id":"%1$s#main-key","owner":"%1$s","publicKeyPem":"%4$s"}}"""
                .formatted(id(), name, baseUrl(), pem(key).replace("\n", "\\n"));
    }

    public String follow(String activityId) {
        return "{\"@context\":\"https://www.w3.org/ns/activitystreams\",\"id\":\"" + activityId + "\",\"type\":\"Follow\","
                + "\"actor\":\"" + id() + "\",\"object\":\"" + FediverseProfile.ACTOR + "\"}";
    }

    public String undoFollow(String activityId, String followId) {
        return "{\"@context\":\"https://www.w3.org/ns/activitystreams\",\"id\":\"" + activityId + "\",\"type\":\"Undo\","
                + "\"actor\":\"" + id() + "\",\"object\":" + follow(followId) + "}";
    }

    /** What a signed POST carries. */
    public record Signed(String date, String digest, String signature) {
    }

    /** Signs a POST of {@code body} to {@code path} on the publication's host, dated {@code date}. */
    public Signed sign(String path, String body, Instant date) {
        return sign(path, body, date, FediverseProfile.HOST);
    }

    /** Signs a POST of {@code body} to {@code path} on {@code host} (another server, for a replay), dated {@code date}. */
    public Signed sign(String path, String body, Instant date, String host) {
        String httpDate = HTTP_DATE.format(date);
        String digest = "SHA-256=" + Base64.getEncoder().encodeToString(sha256(body.getBytes(StandardCharsets.UTF_8)));
        String base = "(request-target): post " + path + "\nhost: " + host + "\ndate: " + httpDate
                + "\ndigest: " + digest;
        String signature = "keyId=\"" + keyId() + "\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date digest\","
                + "signature=\"" + Base64.getEncoder().encodeToString(rsa(base)) + "\"";
        return new Signed(httpDate, digest, signature);
    }

    /** POSTs a signed activity to one of the publication's inboxes. */
    public ValidatableResponse post(String path, String body, Instant date) {
        return post(path, body, sign(path, body, date));
    }

    public ValidatableResponse post(String path, String body, Signed signed) {
        return post(path, body, signed, FediverseProfile.HOST);
    }

    /** POSTs with {@code host} as the Host header (a replay from another server, or a proxy that rewrites it). */
    public ValidatableResponse post(String path, String body, Signed signed, String host) {
        return given().contentType("application/activity+json").header("Host", host)
                .header("Date", signed.date()).header("Digest", signed.digest()).header("Signature", signed.signature())
                .body(body.getBytes(StandardCharsets.UTF_8))
                .when().post(path).then();
    }

    /** POSTs an activity signed with RFC 9421 ({@code @method}, {@code @target-uri}, {@code content-digest}). */
    public ValidatableResponse postRfc9421(String path, String body, Instant created) {
        String contentDigest = "sha-256=:" + Base64.getEncoder().encodeToString(sha256(body.getBytes(StandardCharsets.UTF_8)))
                + ":";
        String params = "(\"@method\" \"@target-uri\" \"content-digest\");created=" + created.getEpochSecond()
                + ";keyid=\"" + keyId() + "\";alg=\"rsa-v1_5-sha256\"";
        String base = "\"@method\": POST\n\"@target-uri\": " + FediverseProfile.BASE_URL + path + "\n\"content-digest\": "
                + contentDigest + "\n\"@signature-params\": " + params;
        return given().contentType("application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"")
                .header("Host", FediverseProfile.HOST).header("Content-Digest", contentDigest)
                .header("Signature-Input", "sig1=" + params)
                .header("Signature", "sig1=:" + Base64.getEncoder().encodeToString(rsa(base)) + ":")
                .body(body.getBytes(StandardCharsets.UTF_8))
                .when().post(path).then();
    }

    private byte[] rsa(String base) {
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(keys.getPrivate());
            signer.update(base.getBytes(StandardCharsets.UTF_8));
            return signer.sign();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    public static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
