package dev.gazette.social.spi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gazette.common.GuardedHttpClients;
import dev.gazette.common.PublicAddressResolver;

/**
 * The HTTP client connectors use. It tells the two failures that matter apart: a request that surely never left
 * ({@link NotSent}: connection refused, connect timeout, refused address) may be retried; one that may have reached
 * the network ({@link OutcomeUnknown}: timeout or broken connection after sending) must not be repeated blindly.
 * Unless configured otherwise it refuses hosts that resolve to loopback, private or link-local addresses, so a URL
 * typed into a channel cannot reach internal services.
 */
public class SocialHttp implements AutoCloseable {

    /**
     * Aborts exchanges that run past their overall deadline. The timeouts of the client are per step (connecting, each
     * read): a server that sends a byte every few seconds would hold a caller for hours without this.
     */
    private static final java.util.concurrent.ScheduledExecutorService DEADLINES = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "gazette-http-deadlines");
                t.setDaemon(true);
                return t;
            });

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PublicAddressResolver resolver;
    private final CloseableHttpClient client;
    private final Duration requestTimeout;
    private final boolean allowPrivateAddresses;
    private final String userAgent;
    private final Clock clock;

    public SocialHttp(Duration connectTimeout, Duration requestTimeout, boolean allowPrivateAddresses, String userAgent,
            Clock clock) {
        this(connectTimeout, requestTimeout, new PublicAddressResolver(allowPrivateAddresses), userAgent, clock);
    }

    /** A client whose names are resolved (and checked, unless the resolver allows private addresses) by {@code resolver}. */
    public SocialHttp(Duration connectTimeout, Duration requestTimeout, PublicAddressResolver resolver, String userAgent,
            Clock clock) {
        this.resolver = resolver;
        this.client = GuardedHttpClients.create(resolver, connectTimeout, requestTimeout);
        this.requestTimeout = requestTimeout;
        this.allowPrivateAddresses = resolver.allowsPrivate();
        this.userAgent = userAgent;
        this.clock = clock;
    }

    /** Closes the pooled connections. */
    @Override
    public void close() throws IOException {
        client.close();
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
        return send(request, response -> {
            HttpEntity entity = response.getEntity();
            String body = "";
            if (entity != null) {
                Charset charset = Optional.ofNullable(ContentType.parseLenient(entity.getContentType()))
                        .map(ContentType::getCharset).orElse(StandardCharsets.UTF_8);
                try (InputStream in = entity.getContent()) {
                    body = new String(in.readAllBytes(), charset);
                }
            }
            return new Response(response.getCode(), headers(response), body);
        });
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
        String host = request.uri().getHost();
        Object result = send(request, response -> {
            HttpEntity entity = response.getEntity();
            if (entity != null && entity.getContentLength() > maxBytes) {
                return new NotSent(host + " offers more than " + maxBytes + " bytes", true);
            }
            byte[] body = new byte[0];
            if (entity != null) {
                try (InputStream in = entity.getContent()) {
                    body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
                }
            }
            if (body.length > maxBytes) {
                return new NotSent(host + " sent more than " + maxBytes + " bytes", true);
            }
            return new Download(response.getCode(), headers(response), body);
        });
        if (result instanceof NotSent refused) {
            throw refused;
        }
        return (Download) result;
    }

    /** Reads an answer while its connection is open; the connection is released afterwards. */
    @FunctionalInterface
    private interface Reader<T> {
        T read(ClassicHttpResponse response) throws IOException;
    }

    private <T> T send(HttpRequest request, Reader<T> reader) throws NotSent, OutcomeUnknown {
        checkScheme(request.uri());
        String host = request.uri().getHost();
        HttpUriRequestBase outgoing = new HttpUriRequestBase(request.method(), request.uri());
        request.headers().map().forEach((name, values) -> values.forEach(value -> outgoing.addHeader(name, value)));
        byte[] body = body(request);
        if (body != null) {
            outgoing.setEntity(new ByteArrayEntity(body, null));
        }
        boolean[] answered = { false };
        // a whole exchange, however slowly the other side trickles, takes at most twice the request timeout
        Duration deadline = requestTimeout.multipliedBy(2);
        java.util.concurrent.atomic.AtomicBoolean aborted = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.ScheduledFuture<?> abort = DEADLINES.schedule(() -> {
            aborted.set(true);
            outgoing.cancel();
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return client.execute(outgoing, response -> {
                answered[0] = true;
                return reader.read(response);
            });
        } catch (IOException e) {
            if (aborted.get()) {
                throw new OutcomeUnknown("The exchange with " + host + " took longer than " + deadline.toSeconds() + " s");
            }
            throw translate(e, host, answered[0]);
        } finally {
            abort.cancel(false);
        }
    }

    private NotSent translate(IOException e, String host, boolean answered) throws NotSent, OutcomeUnknown {
        try {
            throw e;
        } catch (PublicAddressResolver.RefusedAddress x) {
            throw new NotSent(privateAddress(x), true);
        } catch (UnknownHostException x) {
            throw new NotSent("Unknown host " + host, false);
        } catch (ConnectTimeoutException x) {
            throw new NotSent("Could not connect to " + host + " in time", false);
        } catch (ConnectException x) {
            throw new NotSent("Could not connect to " + host + ": " + describe(x), false);
        } catch (SocketTimeoutException x) {
            throw new OutcomeUnknown((answered ? "Reading from " + host + " stalled" : "No answer from " + host)
                    + " within " + (requestTimeout.toMillis() % 1000 == 0 ? requestTimeout.toSeconds() + " s"
                            : requestTimeout.toMillis() + " ms") + " after sending");
        } catch (IOException x) {
            throw new OutcomeUnknown((answered ? "Reading from " + host + " failed: "
                    : "The connection to " + host + " broke after sending: ") + describe(x));
        }
    }

    /** The bytes of a request's body, or null when it has none. */
    private static byte[] body(HttpRequest request) throws NotSent {
        if (request.bodyPublisher().isEmpty() || request.bodyPublisher().get().contentLength() == 0) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        request.bodyPublisher().get().subscribe(new Flow.Subscriber<ByteBuffer>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] bytes = new byte[item.remaining()];
                item.get(bytes);
                out.writeBytes(bytes);
            }

            @Override
            public void onError(Throwable throwable) {
                done.completeExceptionally(throwable);
            }

            @Override
            public void onComplete() {
                done.complete(out.toByteArray());
            }
        });
        try {
            return done.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new NotSent("The request body could not be read", true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotSent("Interrupted", false);
        }
    }

    private static HttpHeaders headers(ClassicHttpResponse response) {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Header header : response.getHeaders()) {
            map.computeIfAbsent(header.getName(), n -> new ArrayList<>()).add(header.getValue());
        }
        return HttpHeaders.of(map, (name, value) -> true);
    }

    /**
     * Refuses non-http(s) URLs and, unless allowed, hosts that resolve to non-public addresses: the early answer for a
     * URL being saved. Requests are checked again by the client's resolver, on the addresses they connect to.
     */
    public void checkAddress(URI uri) throws NotSent {
        checkScheme(uri);
        if (allowPrivateAddresses) {
            return;
        }
        try {
            resolver.resolve(uri.getHost());
        } catch (PublicAddressResolver.RefusedAddress e) {
            throw new NotSent(privateAddress(e), true);
        } catch (UnknownHostException e) {
            throw new NotSent("Unknown host " + uri.getHost(), false);
        }
    }

    private static void checkScheme(URI uri) throws NotSent {
        String scheme = uri.getScheme();
        if (uri.getHost() == null || !("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))) {
            throw new NotSent("Not an http(s) URL: " + uri, true);
        }
    }

    private static String describe(Exception e) {
        Throwable cause = e.getCause() != null && e.getMessage() == null ? e.getCause() : e;
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    /**
     * What an editor reads when a channel's address is on a private network: what is wrong and what to do, the setting
     * named last for whoever runs the server.
     */
    static String privateAddress(PublicAddressResolver.RefusedAddress e) {
        return e.getMessage() + ", and Gazette posts only to public addresses. Use the service's public address, or ask"
                + " whoever runs Gazette to allow private ones (setting gazette.social.allow-private-addresses)";
    }
}
