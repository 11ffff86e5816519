package dev.gazette.social.spi;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gazette.common.PrivateAddresses;

/**
 * The HTTP client connectors use. It tells the two failures that matter apart: a request that surely never left
 * ({@link NotSent}: connection refused, connect timeout, refused address) may be retried; one that may have reached
 * the network ({@link OutcomeUnknown}: timeout or broken connection after sending) must not be repeated blindly.
 * Unless configured otherwise it refuses hosts that resolve to loopback, private or link-local addresses, so a URL
 * typed into a channel cannot reach internal services.
 */
public class SocialHttp {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final Duration requestTimeout;
    private final boolean allowPrivateAddresses;
    private final String userAgent;
    private final Clock clock;

    public SocialHttp(Duration connectTimeout, Duration requestTimeout, boolean allowPrivateAddresses, String userAgent,
            Clock clock) {
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.requestTimeout = requestTimeout;
        this.allowPrivateAddresses = allowPrivateAddresses;
        this.userAgent = userAgent;
        this.clock = clock;
    }

    /** A network's answer. */
    public record Response(int status, HttpHeaders headers, String body) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        /** The body as JSON; a missing node for an empty or non-JSON body. */
        public JsonNode json() {
            try {
                JsonNode node = body == null || body.isBlank() ? null : JSON.readTree(body);
                return node == null ? JSON.missingNode() : node;
            } catch (IOException e) {
                return JSON.missingNode();
            }
        }
    }

    /** The request did not leave this server; repeating it cannot create a duplicate. */
    public static class NotSent extends Exception {
        private final boolean permanent;

        public NotSent(String message, boolean permanent) {
            super(message, null, false, false);
            this.permanent = permanent;
        }

        /** True when trying again cannot help (the address is refused by configuration). */
        public boolean permanent() {
            return permanent;
        }
    }

    /** The request may have been received and acted on; no answer came back. */
    public static class OutcomeUnknown extends Exception {
        public OutcomeUnknown(String message) {
            super(message, null, false, false);
        }
    }

    public static ObjectMapper json() {
        return JSON;
    }

    public Clock clock() {
        return clock;
    }

    /** Sends a request with the configured timeout and user agent; the body is read as text. */
    public Response send(HttpRequest.Builder builder) throws NotSent, OutcomeUnknown {
        HttpRequest request = builder.timeout(requestTimeout).header("User-Agent", userAgent).build();
        HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.headers(), response.body());
    }

    /**
     * Sends the request that creates a post and reads its answer with {@code outcome}. A request that never left is
     * {@link PublishResult.Retryable} (or {@link PublishResult.Rejected} when its address is refused by configuration);
     * one whose answer was lost is {@link PublishResult.UnknownOutcome}.
     */
    public PublishResult publish(HttpRequest.Builder request, Function<Response, PublishResult> outcome) {
        try {
            return outcome.apply(send(request));
        } catch (NotSent e) {
            return e.permanent() ? new PublishResult.Rejected(e.getMessage()) : new PublishResult.Retryable(null, false, e.getMessage());
        } catch (OutcomeUnknown e) {
            return new PublishResult.UnknownOutcome(e.getMessage());
        }
    }

    /** A downloaded body (an image for a link card). */
    public record Download(int status, HttpHeaders headers, byte[] body) {
    }

    /**
     * Downloads a body of at most {@code maxBytes} (image downloads): a larger one is refused, by its Content-Length
     * or while reading, so a hostile or mistaken URL cannot fill the memory.
     */
    public Download download(HttpRequest.Builder builder, long maxBytes) throws NotSent, OutcomeUnknown {
        HttpRequest request = builder.timeout(requestTimeout).header("User-Agent", userAgent).build();
        HttpResponse<java.io.InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (java.io.InputStream in = response.body()) {
            if (response.headers().firstValueAsLong("Content-Length").orElse(-1) > maxBytes) {
                throw new NotSent(request.uri().getHost() + " offers more than " + maxBytes + " bytes", true);
            }
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) {
                throw new NotSent(request.uri().getHost() + " sent more than " + maxBytes + " bytes", true);
            }
            return new Download(response.statusCode(), response.headers(), body);
        } catch (IOException e) {
            throw new OutcomeUnknown("Reading from " + request.uri().getHost() + " failed: " + describe(e));
        }
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws NotSent, OutcomeUnknown {
        checkAddress(request.uri());
        try {
            return client.send(request, handler);
        } catch (HttpConnectTimeoutException e) {
            throw new NotSent("Could not connect to " + request.uri().getHost() + " in time", false);
        } catch (HttpTimeoutException e) {
            throw new OutcomeUnknown("No answer from " + request.uri().getHost() + " within "
                    + (requestTimeout.toMillis() % 1000 == 0 ? requestTimeout.toSeconds() + " s"
                            : requestTimeout.toMillis() + " ms") + " after sending");
        } catch (ConnectException | UnresolvedAddressException e) {
            throw new NotSent("Could not connect to " + request.uri().getHost() + ": " + describe(e), false);
        } catch (IOException e) {
            if (e.getCause() instanceof ConnectException || e.getCause() instanceof UnresolvedAddressException) {
                throw new NotSent("Could not connect to " + request.uri().getHost() + ": " + describe(e), false);
            }
            throw new OutcomeUnknown("The connection to " + request.uri().getHost() + " broke after sending: "
                    + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutcomeUnknown("Interrupted while waiting for " + request.uri().getHost());
        }
    }

    /** Refuses non-http(s) URLs and, unless allowed, hosts that resolve to non-public addresses. */
    public void checkAddress(URI uri) throws NotSent {
        String scheme = uri.getScheme();
        if (uri.getHost() == null || !("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))) {
            throw new NotSent("Not an http(s) URL: " + uri, true);
        }
        if (allowPrivateAddresses) {
            return;
        }
        try {
            InetAddress internal = PrivateAddresses.firstNonPublic(uri.getHost());
            if (internal != null) {
                throw new NotSent(uri.getHost() + " points to a non-public address (" + internal.getHostAddress()
                        + "); set gazette.social.allow-private-addresses=true to allow it", true);
            }
        } catch (UnknownHostException e) {
            throw new NotSent("Unknown host " + uri.getHost(), false);
        }
    }

    private static String describe(Exception e) {
        Throwable cause = e.getCause() != null && e.getMessage() == null ? e.getCause() : e;
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
