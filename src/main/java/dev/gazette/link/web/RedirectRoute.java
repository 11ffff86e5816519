package dev.gazette.link.web;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import dev.gazette.common.web.Site;
import dev.gazette.common.web.SiteChrome;
import dev.gazette.link.ClickEvent;
import dev.gazette.link.ClickRecorder;
import dev.gazette.link.LinkCodes;
import dev.gazette.link.LinksConfig;
import dev.gazette.link.ReaderActivity;
import dev.gazette.link.ReaderClicks;
import dev.gazette.link.TrackedLinkService.Target;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /r/{code}}: the tracked redirect in every social post and, when enabled, every digest link. A plain
 * Vert.x route on the I/O thread, answered from {@link LinkCache}; counting is a non-blocking offer to
 * {@link ClickRecorder}'s queue. Only codes of existing links redirect, and only to their stored target: nothing in
 * the request decides where a reader goes, and a reader's token on the link ({@link ReaderClicks}) is not passed on:
 * it only goes, unchecked, to {@link ReaderActivity}'s queue.
 */
@Singleton
public class RedirectRoute {

    /**
     * Ahead of Quarkus' HTTP filters. The redirect is public and needs none of them (authentication, permission
     * checks), and one of them, Quarkus REST's observability filter, builds a request mapper on every request: about
     * a third of the garbage of a redirect, measured with JFR, and young-GC pauses are what the p99 is made of.
     */
    private static final int ROUTE_ORDER = -10_000;
    private static final CharSequence X_ROBOTS_TAG = HttpHeaders.createOptimized("X-Robots-Tag");
    private static final CharSequence NOINDEX = HttpHeaders.createOptimized("noindex");
    private static final CharSequence NO_STORE = HttpHeaders.createOptimized("private, no-store");
    private static final CharSequence HTML = HttpHeaders.createOptimized("text/html;charset=UTF-8");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance notFound(Site site);
    }

    private static final long ROOM_POLL_MILLIS = 5;

    private final LinkCache cache;
    private final ClickRecorder recorder;
    private final SiteChrome chrome;
    private final ReaderActivity activity;
    private final long fullQueueWaitNanos;
    private volatile String notFoundPage;

    RedirectRoute(LinkCache cache, ClickRecorder recorder, SiteChrome chrome, ReaderActivity activity, LinksConfig config) {
        this.cache = cache;
        this.recorder = recorder;
        this.chrome = chrome;
        this.activity = activity;
        this.fullQueueWaitNanos = config.fullQueueWait().toNanos();
    }

    void register(@Observes Router router) {
        router.get("/r/:code").order(ROUTE_ORDER).handler(this::redirect);
        router.head("/r/:code").order(ROUTE_ORDER).handler(this::redirect);
    }

    void redirect(RoutingContext ctx) {
        String code = ctx.pathParam("code");
        if (!LinkCodes.isWellFormed(code)) {
            notFound(ctx.response());
            return;
        }
        HttpServerRequest request = ctx.request();
        boolean count = request.method() != HttpMethod.HEAD;
        String token = ReaderClicks.tokenOf(request.query());
        String userAgent = request.getHeader(HttpHeaders.USER_AGENT);
        // Already rewritten from Forwarded / X-Forwarded-For by Quarkus when proxy address forwarding is configured.
        SocketAddress remote = request.remoteAddress();
        String ip = remote == null ? "" : remote.hostAddress();
        CompletableFuture<Optional<Target>> target = cache.get(code);
        if (target.isDone() && !target.isCompletedExceptionally()) {
            respond(ctx.response(), target.join(), count, ip, userAgent, token);
            return;
        }
        // A cache miss completes on a worker thread; the response is written back on this request's event loop.
        Context context = Vertx.currentContext();
        target.whenComplete((found, failure) -> context.runOnContext(v -> {
            if (failure != null) {
                ctx.fail(failure);
            } else {
                respond(ctx.response(), found, count, ip, userAgent, token);
            }
        }));
    }

    private void respond(HttpServerResponse response, Optional<Target> found, boolean count, String ip, String userAgent,
            String token) {
        if (found.isEmpty()) {
            notFound(response);
            return;
        }
        Target target = found.get();
        ClickEvent event = count ? recorder.event(target.linkId(), ip, userAgent) : null;
        if (token != null) {
            // Queued before the answer goes out (a non-blocking offer, like the click's), so that whoever sees the
            // redirect can rely on the click being queued; it is judged and written off the request path.
            activity.offer(token, !count, event != null && event.preview());
        }
        if (event != null && !recorder.offer(event)) {
            recorder.delayed();
            awaitRoom(Vertx.currentContext().owner(), response, target, event, System.nanoTime() + fullQueueWaitNanos);
            return;
        }
        redirect(response, target);
    }

    /**
     * Back-pressure: the queue is full, so the answer waits (on a timer, never blocking the I/O thread) until the
     * writer has made room, and the client with it. Past the wait the click is dropped and counted, and the reader
     * still gets the redirect.
     */
    private void awaitRoom(Vertx vertx, HttpServerResponse response, Target target, ClickEvent event, long deadline) {
        vertx.setTimer(ROOM_POLL_MILLIS, id -> {
            if (recorder.offer(event)) {
                redirect(response, target);
            } else if (System.nanoTime() - deadline > 0) {
                recorder.dropped();
                redirect(response, target);
            } else {
                awaitRoom(vertx, response, target, event, deadline);
            }
        });
    }

    private void redirect(HttpServerResponse response, Target target) {
        if (response.closed()) {
            return;
        }
        response.setStatusCode(302)
                .putHeader(HttpHeaders.LOCATION, target.location())
                .putHeader(X_ROBOTS_TAG, NOINDEX)
                .putHeader(HttpHeaders.CACHE_CONTROL, NO_STORE)
                .end();
    }

    private void notFound(HttpServerResponse response) {
        response.setStatusCode(404)
                .putHeader(HttpHeaders.CONTENT_TYPE, HTML)
                .putHeader(X_ROBOTS_TAG, NOINDEX)
                .putHeader(HttpHeaders.CACHE_CONTROL, NO_STORE)
                .end(notFoundPage());
    }

    private String notFoundPage() {
        String page = notFoundPage;
        if (page == null) {
            page = Templates.notFound(chrome.site()).render();
            notFoundPage = page;
        }
        return page;
    }

}
