package dev.gazette.fediverse;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gazette.common.PublicAddressResolver;
import dev.gazette.common.config.SiteConfig;
import dev.gazette.fediverse.signature.CavageSignatures;
import dev.gazette.fediverse.signature.HttpMessage;
import dev.gazette.fediverse.signature.MessageSignatures;
import dev.gazette.social.spi.SocialHttp;

/**
 * Requests to other fediverse servers, signed by the publication's actor: GETs of actors and keys (servers in
 * "authorized fetch" mode refuse unsigned ones) and POSTs to inboxes. It goes through the guarded client of social
 * channels and webhooks, so unless {@code gazette.fediverse.allow-private-addresses} is set, no remote actor can make
 * this server reach a loopback or private address.
 */
@Singleton
public class FediverseClient {

    /** The largest actor or key document read. */
    static final int MAX_DOCUMENT = 1024 * 1024;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** How a POST is signed: draft-cavage first (unless the receiver is known to want RFC 9421), the other on a 401. */
    public enum Scheme { CAVAGE, RFC9421 }

    private final Federation federation;
    private final ActorKeys keys;
    private final ObjectMapper json;
    private final Clock clock;
    private final DomainBlocks blocks;
    private final String userAgent;
    private volatile SocialHttp http;

    FediverseClient(Federation federation, ActorKeys keys, FediverseConfig config, SiteConfig site, ObjectMapper json,
            Clock clock, DomainBlocks blocks) {
        this.federation = federation;
        this.blocks = blocks;
        this.keys = keys;
        this.json = json;
        this.clock = clock;
        this.userAgent = "Gazette (+" + site.baseUrl() + ")";
        this.http = client(config.allowPrivateAddresses());
    }

    private SocialHttp client(boolean allowPrivate) {
        return new SocialHttp(CONNECT_TIMEOUT, REQUEST_TIMEOUT, new PublicAddressResolver(allowPrivate), userAgent, clock);
    }

    /** Replaces the private-address rule at run time; tests use it to check the refusal in one running application. */
    void allowPrivateAddresses(boolean allow) throws IOException {
        SocialHttp old = http;
        http = client(allow);
        old.close();
    }

    /** A fetched document, or why there is none. */
    public sealed interface Fetched {
        record Found(JsonNode document) implements Fetched {
        }

        /** The remote answered 404 or 410: the actor or key is gone. */
        record Gone(int status) implements Fetched {
        }

        /** Anything else: refused address, network failure, another status, not JSON. */
        record Failed(String reason) implements Fetched {
        }
    }

    /** GETs an ActivityPub document with a draft-cavage signature; nothing is fetched from a blocked domain. */
    public Fetched get(URI uri) {
        URI target = withoutFragment(uri);
        if (blocks.blocks(target.getHost())) {
            return new Fetched.Failed(target.getHost() + " is on a blocked domain");
        }
        HttpMessage message = HttpMessage.outgoing("GET", target, null, clock.instant());
        ActorKeys.ActorKey key = keys.current(ActorKeys.PUBLICATION);
        String signature = CavageSignatures.sign(message, CavageSignatures.COVERED_WITHOUT_BODY,
                federation.keyId(key.keyName()), keys.privateKey(key));
        HttpRequest.Builder request = HttpRequest.newBuilder(target).GET()
                .header("Accept", ActivityStreams.MEDIA_TYPE + ", application/ld+json; profile=\"" + ActivityStreams.NAMESPACE + "\"")
                .header("Date", message.header("date"))
                .header("Signature", signature);
        try {
            SocialHttp.Download download = http.download(request, MAX_DOCUMENT);
            if (download.status() == 404 || download.status() == 410) {
                return new Fetched.Gone(download.status());
            }
            if (download.status() != 200) {
                return new Fetched.Failed(target.getHost() + " answered HTTP " + download.status());
            }
            JsonNode document = json.readTree(download.body());
            return document != null && document.isObject() ? new Fetched.Found(document)
                    : new Fetched.Failed(target.getHost() + " did not answer a JSON object");
        } catch (SocialHttp.NotSent | SocialHttp.OutcomeUnknown e) {
            return new Fetched.Failed(describe(e));
        } catch (IOException e) {
            return new Fetched.Failed(target.getHost() + " did not answer JSON");
        } catch (IllegalArgumentException e) {
            return new Fetched.Failed("not a valid URL: " + target);
        }
    }

    /** POSTs an activity to an inbox, signed with {@code scheme}. */
    public SocialHttp.Response post(URI inbox, String body, Scheme scheme) throws SocialHttp.NotSent, SocialHttp.OutcomeUnknown {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpMessage message = HttpMessage.outgoing("POST", inbox, bytes, clock.instant());
        ActorKeys.ActorKey key = keys.current(ActorKeys.PUBLICATION);
        String keyId = federation.keyId(key.keyName());
        HttpRequest.Builder request = HttpRequest.newBuilder(inbox)
                .header("Content-Type", ActivityStreams.MEDIA_TYPE)
                .header("Date", message.header("date"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (scheme == Scheme.CAVAGE) {
            request.header("Digest", message.header("digest"))
                    .header("Signature", CavageSignatures.sign(message, CavageSignatures.COVERED, keyId, keys.privateKey(key)));
        } else {
            MessageSignatures.Signed signed = MessageSignatures.sign(message, MessageSignatures.COVERED, MessageSignatures.LABEL,
                    keyId, keys.privateKey(key), clock.instant());
            request.header("Content-Digest", message.header("content-digest"))
                    .header("Signature-Input", signed.signatureInput())
                    .header("Signature", signed.signature());
        }
        return http.send(request);
    }

    /** How one delivery attempt ended, and what its ledger does next. */
    public sealed interface Attempt {
        /** The receiver answered 2xx: it has the activity, signed with {@code scheme}. */
        record Delivered(int status, Scheme scheme) implements Attempt {
        }

        /** 5xx, 408, 429, a timeout or a connection failure: try again later. */
        record Retry(String error) implements Attempt {
        }

        /** Any other answer, or an address that is refused: trying again would not help. */
        record Failed(String error) implements Attempt {
        }
    }

    /**
     * POSTs an activity signed with draft-cavage and, when the receiver answers 401, once more signed with RFC 9421
     * ("double-knock": Mastodon is moving from the first to the second).
     */
    public Attempt deliver(URI inbox, String body) {
        return deliver(inbox, body, Scheme.CAVAGE);
    }

    /**
     * POSTs an activity signed with {@code first} and, when the receiver answers 401, once more signed with the other
     * scheme: a sender that remembers which scheme a server accepted spends one request per delivery there, not two.
     */
    public Attempt deliver(URI inbox, String body, Scheme first) {
        try {
            Scheme scheme = first;
            SocialHttp.Response response = post(inbox, body, scheme);
            if (response.status() == 401) {
                scheme = scheme == Scheme.CAVAGE ? Scheme.RFC9421 : Scheme.CAVAGE;
                response = post(inbox, body, scheme);
            }
            int status = response.status();
            if (response.ok()) {
                return new Attempt.Delivered(status, scheme);
            }
            return status == 408 || status == 429 || status >= 500 ? new Attempt.Retry("HTTP " + status)
                    : new Attempt.Failed("HTTP " + status);
        } catch (SocialHttp.NotSent e) {
            return e.permanent() ? new Attempt.Failed(describe(e)) : new Attempt.Retry(describe(e));
        } catch (SocialHttp.OutcomeUnknown e) {
            return new Attempt.Retry(describe(e));
        } catch (IllegalArgumentException e) {
            return new Attempt.Failed("not a valid inbox URL: " + inbox);
        }
    }

    /** A failed request in words, naming this feature's private-address setting rather than the shared client's. */
    public static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName()
                : e.getMessage().replace("gazette.social.allow-private-addresses", "gazette.fediverse.allow-private-addresses")
                        .replace("Gazette posts only", "Gazette federates only");
    }

    static URI withoutFragment(URI uri) {
        String text = uri.toString();
        int hash = text.indexOf('#');
        return hash < 0 ? uri : URI.create(text.substring(0, hash));
    }

    @PreDestroy
    void close() throws IOException {
        http.close();
    }
}
