package dev.gazette.common;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gazette.common.config.HttpConfig;
import dev.gazette.common.error.ErrorMappers;
import dev.gazette.common.error.Problem;
import io.quarkus.logging.Log;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;

/**
 * Keeps slow senders from taking the site down. Quarkus REST reads a form or JSON body on the worker thread that runs
 * the resource, blocking it for as long as the client takes: a few hundred clients trickling a byte at a time used
 * every worker. Here every body of up to {@link RequestSizeGuard#MAX_BODY} is read on the event loop first and handed
 * to Quarkus REST whole (it reads a body already on the routing context instead of the socket), so no worker waits.
 * Every body must arrive within {@link HttpConfig#bodyTimeout()} (the subscriber imports and the article form with its
 * lead image, streamed to disk, within {@link HttpConfig#uploadTimeout()}), or the answer is 408 and the connection closes. A client
 * address may send at most {@link HttpConfig#maxBodiesPerClient()} bodies at once, on every path: bodies are read
 * before anyone is authenticated. The address is the one Quarkus gives (the proxy's forwarded address when trusted),
 * held in memory only while that client has a body in flight. HTTP/2 is off ({@code quarkus.http.http2}): Quarkus REST
 * cannot yet take over an HTTP/2 request whose body was read ahead.
 */
@Singleton
public class BodyReadGuard {

    private final Vertx vertx;
    private final HttpConfig config;
    private final ObjectMapper json;
    private final ConcurrentHashMap<String, Integer> bodiesInFlight = new ConcurrentHashMap<>();

    BodyReadGuard(Vertx vertx, HttpConfig config, ObjectMapper json) {
        this.vertx = vertx;
        this.config = config;
        this.json = json;
    }

    void install(@Observes Router router) {
        // After RequestSizeGuard (Integer.MIN_VALUE) and one-click unsubscribe (+1), which never reads its body.
        router.route().order(Integer.MIN_VALUE + 2).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        long length = contentLength(request);
        if (request.isEnded() || length == 0) {
            ctx.next();
            return;
        }
        String client = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        if (!acquire(client)) {
            Log.debugf("%s %s refused: too many bodies in flight from one client", request.method(),
                    ErrorMappers.loggable(ctx.normalizedPath()));
            refuse(ctx, 429, "Too many requests", "Too many requests are on their way from your address. Please try again shortly.");
            return;
        }
        boolean upload = RequestSizeGuard.upload(ctx.normalizedPath(), length);
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                bodiesInFlight.computeIfPresent(client, (address, count) -> count <= 1 ? null : count - 1);
            }
        };
        long deadline = (upload ? config.uploadTimeout() : config.bodyTimeout()).toMillis();
        long timer = vertx.setTimer(Math.max(1, deadline), fired -> {
            if (!request.isEnded()) {
                release.run();
                Log.debugf("%s %s: body not received within %d ms", request.method(), ErrorMappers.loggable(ctx.normalizedPath()),
                        deadline);
                refuse(ctx, 408, "Request timed out", "The request took too long to arrive. Please try again.");
            }
        });
        ctx.addEndHandler(done -> {
            vertx.cancelTimer(timer);
            release.run();
        });
        if (upload || length < 0 || length > RequestSizeGuard.MAX_BODY) {
            // read as a stream where it is used (the imports), or never (a body on a GET): only the deadline applies
            ctx.next();
            return;
        }
        Buffer body = Buffer.buffer((int) length);
        request.handler(body::appendBuffer);
        request.exceptionHandler(failure -> {
            vertx.cancelTimer(timer);
            release.run();
        });
        request.endHandler(end -> {
            vertx.cancelTimer(timer);
            release.run();
            ((RoutingContextInternal) ctx).setBody(body);
            ctx.next();
        });
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            ctx.response().writeContinue();
        }
        request.resume();
    }

    /** The declared body length: 0 for none, -1 for a chunked body of unknown length. */
    private static long contentLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            try {
                return Math.max(0, Long.parseLong(length.trim()));
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return request.getHeader(HttpHeaders.TRANSFER_ENCODING) == null ? 0 : -1;
    }

    private boolean acquire(String client) {
        int max = config.maxBodiesPerClient();
        boolean[] admitted = { false };
        bodiesInFlight.compute(client, (address, count) -> {
            int current = count == null ? 0 : count;
            if (current >= max) {
                return count;
            }
            admitted[0] = true;
            return current + 1;
        });
        return admitted[0];
    }

    private void refuse(RoutingContext ctx, int status, String title, String detail) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten()) {
            ctx.request().connection().close();
            return;
        }
        ctx.request().handler(null);
        String path = ctx.normalizedPath();
        String type;
        String body;
        if (path.startsWith("/api/")) {
            type = Problem.MEDIA_TYPE;
            try {
                body = json.writeValueAsString(new Problem("about:blank", title, status, detail, path, null));
            } catch (JsonProcessingException e) {
                body = "";
            }
        } else {
            type = "text/html;charset=UTF-8";
            body = ErrorMappers.errorPage(status, title, detail);
        }
        if (status == 429) {
            // a slot frees at the latest when a body's deadline passes
            response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, config.bodyTimeout().toSeconds())));
        }
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, type)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(body)
                // the rest of the body is never read: close rather than take it for the next request
                .onComplete(written -> ctx.request().connection().close());
    }
}
