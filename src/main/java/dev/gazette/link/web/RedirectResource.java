package dev.gazette.link.web;

import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.gazette.article.web.PageModels.Link;
import dev.gazette.article.web.PageModels.Site;
import dev.gazette.common.config.SiteConfig;
import dev.gazette.link.ClickRecorder;
import dev.gazette.link.LinkCodes;
import dev.gazette.link.TrackedLinkService.Target;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * {@code GET /r/{code}}: the tracked redirect in every social post and, when enabled, every digest link. Answered on
 * the I/O thread from {@link LinkCache}; counting is a non-blocking offer to {@link ClickRecorder}'s queue. Only codes
 * of existing links redirect, and only to their stored target: nothing in the request decides where a reader goes.
 */
@Path("/r")
@Tag(name = "Public")
public class RedirectResource {

    private static final String NO_STORE = "private, no-store";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance notFound(Site site);
    }

    private final LinkCache cache;
    private final ClickRecorder recorder;
    private final SiteConfig site;
    private volatile String notFoundPage;

    RedirectResource(LinkCache cache, ClickRecorder recorder, SiteConfig site) {
        this.cache = cache;
        this.recorder = recorder;
        this.site = site;
    }

    @GET
    @Path("/{code}")
    @NonBlocking
    @Operation(summary = "Follow a tracked link", description = "302 to the link's target with its UTM parameters (and "
            + "ref=<code> on this site's pages). Bots are redirected too but counted as previews; HEAD is not counted.")
    public Uni<Response> redirect(@PathParam("code") String code, @Context HttpServerRequest request) {
        if (!LinkCodes.isWellFormed(code)) {
            return Uni.createFrom().item(notFound());
        }
        boolean count = request.method() != HttpMethod.HEAD;
        String userAgent = request.getHeader(HttpHeaders.USER_AGENT);
        // Already rewritten from X-Forwarded-For / Forwarded by Quarkus when proxy address forwarding is configured.
        SocketAddress remote = request.remoteAddress();
        String ip = remote == null ? "" : remote.hostAddress();
        CompletableFuture<Optional<Target>> target = cache.get(code);
        if (target.isDone() && !target.isCompletedExceptionally()) {
            return Uni.createFrom().item(respond(target.join(), count, ip, userAgent));
        }
        return Uni.createFrom().completionStage(target).map(found -> respond(found, count, ip, userAgent));
    }

    private Response respond(Optional<Target> found, boolean count, String ip, String userAgent) {
        if (found.isEmpty()) {
            return notFound();
        }
        Target target = found.get();
        if (count) {
            recorder.recordRedirect(target.linkId(), ip, userAgent);
        }
        return Response.status(Response.Status.FOUND)
                .header(HttpHeaders.LOCATION, target.location())
                .header("X-Robots-Tag", "noindex")
                .header(HttpHeaders.CACHE_CONTROL, NO_STORE)
                .build();
    }

    private Response notFound() {
        String page = notFoundPage;
        if (page == null) {
            Site model = new Site(site.name(), site.description(), site.baseUrl(), site.language(),
                    site.socialLinks().entrySet().stream().map(e -> new Link(capitalize(e.getKey()), e.getValue()))
                            .sorted(Comparator.comparing(Link::label)).toList(),
                    site.xHandle().orElse(null));
            page = Templates.notFound(model).render();
            notFoundPage = page;
        }
        return Response.status(Response.Status.NOT_FOUND)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header("X-Robots-Tag", "noindex")
                .header(HttpHeaders.CACHE_CONTROL, NO_STORE)
                .entity(page)
                .build();
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
