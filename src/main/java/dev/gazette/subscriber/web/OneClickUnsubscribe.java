package dev.gazette.subscriber.web;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;

import dev.gazette.common.error.ErrorMappers;
import io.quarkus.logging.Log;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /u/{token}}, RFC 8058 one-click unsubscribe, answered before anything reads the body: the token alone
 * decides. A mailbox provider may send {@code List-Unsubscribe=One-Click} form-encoded, as multipart, with a charset
 * nobody knows or cut short; none of that may leave a reader subscribed. The body is never read, and the connection
 * is closed after the answer so that no unread body is taken for the next request.
 */
@Singleton
public class OneClickUnsubscribe {

    static final String PATH = "/u/";

    private final SubscribePages pages;

    OneClickUnsubscribe(SubscribePages pages) {
        this.pages = pages;
    }

    void install(@Observes Router router) {
        // Right after RequestSizeGuard (Integer.MIN_VALUE), which lets these requests through unread.
        router.post(PATH + ":token").order(Integer.MIN_VALUE + 1).blockingHandler(this::handle, false);
    }

    private void handle(RoutingContext ctx) {
        int status;
        String html;
        try {
            Response response = pages.unsubscribe(ctx.pathParam("token"));
            status = response.getStatus();
            html = ((TemplateInstance) response.getEntity()).render();
        } catch (RuntimeException e) {
            Log.errorf(e, "One-click unsubscribe failed on %s", ErrorMappers.loggable(ctx.normalizedPath()));
            status = 500;
            html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Please try again</title></head><body>"
                    + "<main><h1>Please try again</h1><p>We could not unsubscribe you just now. Try the link again in a"
                    + " minute.</p></main></body></html>";
        }
        ctx.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/html;charset=UTF-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "private, no-store")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(html)
                // Vert.x keeps a connection alive by the request's headers alone: close it once the answer is out.
                .onComplete(written -> ctx.request().connection().close());
    }
}
