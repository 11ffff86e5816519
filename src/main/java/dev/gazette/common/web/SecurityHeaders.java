package dev.gazette.common.web;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import dev.gazette.common.config.SiteConfig;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Browser-facing security headers on every answer. Pages get a Content-Security-Policy that allows scripts, styles
 * and frames from Gazette's own origin only (so an injected {@code <script>} or {@code onerror} does not run), may
 * not be framed by other sites, and do not leak full URLs, which carry tokens, to other origins. A response that
 * sets its own policy keeps it: the mail previews use {@link #MAIL_FRAME_POLICY}. The operator pages under
 * {@code /q/} (Swagger UI) come from Quarkus with inline scripts and get no policy, only the other headers.
 */
@Singleton
public class SecurityHeaders {

    public static final String CSP = "Content-Security-Policy";

    /** Gazette's own pages: nothing inline, nothing from elsewhere but images. */
    static final String PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https: http:; "
            + "font-src 'self'; connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    /**
     * A mail shown exactly as sent, in the editor's preview frame: its inline styles and remote images work, nothing
     * runs, and the document is sandboxed (a unique origin, no scripts, no forms) even when opened on its own. Only
     * Gazette's own pages may frame it.
     */
    public static final String MAIL_FRAME_POLICY = "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; "
            + "style-src 'unsafe-inline' https: http:; img-src data: https: http:; font-src https: http:; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

    private final boolean https;

    SecurityHeaders(SiteConfig site) {
        this.https = site.baseUrl().startsWith("https://");
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        boolean operatorPage = ctx.normalizedPath().startsWith("/q/");
        ctx.addHeadersEndHandler(v -> apply(ctx.response().headers(), operatorPage));
        ctx.next();
    }

    void apply(MultiMap headers, boolean operatorPage) {
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
        if (https) {
            headers.set("Strict-Transport-Security", "max-age=31536000");
        }
        String own = headers.get(CSP);
        if (own == null && !operatorPage) {
            headers.set(CSP, PAGE_POLICY);
        }
        if (!headers.contains("X-Frame-Options")) {
            headers.set("X-Frame-Options", own != null && own.contains("frame-ancestors 'self'") ? "SAMEORIGIN" : "DENY");
        }
    }
}
