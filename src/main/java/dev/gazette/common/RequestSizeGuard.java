package dev.gazette.common;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import dev.gazette.common.config.MediaConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;

/**
 * Keeps request bodies small everywhere but on the subscriber import, which takes files of hundreds of megabytes, and
 * the article form, which may carry a lead image up to {@code gazette.media.max-upload-size}.
 * {@code quarkus.http.limits.max-body-size} is global and sized for imports; this refuses, before anything is read,
 * bodies over {@link #MAX_BODY} elsewhere, and bodies of unknown length (411), so that public forms cannot be used
 * to make the server buffer large payloads.
 */
@Singleton
public class RequestSizeGuard {

    private final long articleFormMax;

    RequestSizeGuard(MediaConfig media) {
        this.articleFormMax = MAX_BODY + media.maxUploadSize().asLongValue();
    }

    /**
     * Whether a body of {@code length} bytes to {@code path} is an upload: streamed where it is used, within the upload
     * deadline. An article form without an image (or with a small one) is read ahead like any form.
     */
    static boolean upload(String path, long length) {
        return LARGE_UPLOADS.contains(path) || imageForm(path) && length > MAX_BODY;
    }

    /** The forms that may carry an image: the article editor's, a newsletter's logo (editor UI and API). */
    static boolean imageForm(String path) {
        return ARTICLE_FORM.equals(path) || LOGO_FORM.matcher(path).matches();
    }

    static final long MAX_BODY = 2L * 1024 * 1024;
    /** The subscriber import, through the API and through the editor UI's upload form. */
    static final java.util.Set<String> LARGE_UPLOADS = java.util.Set.of("/api/v1/subscribers/imports", "/admin/subscribers/imports");

    /** The article editor's form, which may carry a lead image: larger by the image size cap. */
    static final String ARTICLE_FORM = "/admin/articles";
    static final java.util.regex.Pattern LOGO_FORM = java.util.regex.Pattern.compile("/(admin|api/v1)/newsletters/\\d+/logo");

    /** RFC 8058 one-click unsubscribe: answered without reading the body, whatever its size or framing. */
    static final java.util.regex.Pattern UNREAD_BODIES = java.util.regex.Pattern.compile("/u/[^/]+");

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            HttpMethod method = ctx.request().method();
            if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS
                    || LARGE_UPLOADS.contains(ctx.normalizedPath())
                    || method == HttpMethod.POST && UNREAD_BODIES.matcher(ctx.normalizedPath()).matches()) {
                ctx.next();
                return;
            }
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length == null) {
                if (ctx.request().getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
                    ctx.response().setStatusCode(411).end();
                    return;
                }
                ctx.next();
                return;
            }
            try {
                long max = imageForm(ctx.normalizedPath()) ? articleFormMax : MAX_BODY;
                if (Long.parseLong(length.trim()) > max) {
                    ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONNECTION, "close").end();
                    return;
                }
            } catch (NumberFormatException e) {
                ctx.response().setStatusCode(400).end();
                return;
            }
            ctx.next();
        });
    }
}
