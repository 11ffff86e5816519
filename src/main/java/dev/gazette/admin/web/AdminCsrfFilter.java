package dev.gazette.admin.web;

import java.util.Set;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;

/**
 * Refuses POST, PUT, PATCH and DELETE under {@code /admin} unless they carry the signed-in user's CSRF token. Scoped
 * to the editor UI on purpose: public forms (subscribe, one-click unsubscribe, which RFC 8058 requires to work
 * without a cookie) and the token-authenticated API are not cookie-authenticated, so CSRF does not apply to them.
 */
public class AdminCsrfFilter {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
    /** Signing in: nobody is signed in yet, so there is no session to ride. */
    private static final String SIGN_IN = "/admin/j_security_check";

    private final AdminCsrf csrf;
    private final CurrentIdentityAssociation identities;

    AdminCsrfFilter(AdminCsrf csrf, CurrentIdentityAssociation identities) {
        this.csrf = csrf;
        this.identities = identities;
    }

    @ServerRequestFilter(readBody = true)
    public Uni<Response> check(ResteasyReactiveContainerRequestContext context) {
        String path = context.getUriInfo().getPath();
        if (SAFE.contains(context.getMethod()) || !(path.equals("/admin") || path.startsWith("/admin/")) || path.equals(SIGN_IN)) {
            return Uni.createFrom().nullItem();
        }
        String token = context.getHeaderString(AdminCsrf.HEADER);
        if (token == null && context.getServerRequestContext() instanceof ResteasyReactiveRequestContext request) {
            Object field = request.getFormParameter(AdminCsrf.FIELD, true, false);
            token = field instanceof String s ? s : null;
        }
        String presented = token;
        return identities.getDeferredIdentity().map(identity -> identity.isAnonymous()
                || !csrf.valid(identity, presented) ? refused() : null);
    }

    private static Response refused() {
        return Response.status(403).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Form expired</title></head>"
                        + "<body><main><h1>This form has expired</h1><p>The form was sent without its security token, or"
                        + " with one for another session. Go back, reload the page and send it again.</p>"
                        + "<p><a href=\"/admin\">Back to the dashboard</a></p></main></body></html>")
                .build();
    }
}
