package dev.gazette.admin.web;

import java.net.URI;
import java.util.Map;

import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestForm;

import dev.gazette.admin.EditorSessions;
import dev.gazette.admin.SignInService;
import dev.gazette.admin.User;
import dev.gazette.admin.UserService;
import dev.gazette.common.config.SiteConfig;
import dev.gazette.common.error.ProblemException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.vertx.core.http.HttpServerRequest;

/**
 * Signing in and out of the editor UI, and one's own account (the password). A session lives in the database
 * ({@link EditorSessions}): logging out, changing the password or being removed ends it on every instance.
 */
@Path("/admin")
@Produces(MediaType.TEXT_HTML)
public class SignInPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(boolean error, long waitSeconds);

        static native TemplateInstance account(AdminChrome chrome, Map<String, String> errors, String notice);
    }

    private final AdminContext context;
    private final UserService users;
    private final SignInService signIns;
    private final EditorSessions sessions;
    private final SiteConfig site;

    SignInPages(AdminContext context, UserService users, SignInService signIns, EditorSessions sessions, SiteConfig site) {
        this.context = context;
        this.users = users;
        this.signIns = signIns;
        this.sessions = sessions;
        this.site = site;
    }

    /**
     * The login form, or the dashboard when the browser's session cookie is valid. Only the cookie counts: other
     * credentials (an API token in {@code Authorization}) are not for the editor UI, and must not send the browser
     * back and forth between here and {@code /admin}.
     */
    @GET
    @Path("/login")
    public Response login(@QueryParam("error") String error, @CookieParam(EditorSessions.COOKIE) String secret) {
        if (secret != null && sessions.find(secret).isPresent()) {
            return Response.seeOther(URI.create("/admin")).build();
        }
        return Response.ok(Templates.login(error != null, 0)).header("Cache-Control", "no-store").build();
    }

    /**
     * The login form's target (the name forms of Java web apps post to); a new session on success. Throttled after
     * repeated failures ({@link SignInService}): the form again with 429 and {@code Retry-After}.
     */
    @POST
    @Path("/j_security_check")
    public Response signIn(@RestForm("j_username") String username, @RestForm("j_password") String password,
            @CookieParam(EditorSessions.COOKIE) String previous, UriInfo uri, HttpServerRequest http) {
        String address = http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        SignInService.Outcome outcome = signIns.attempt(username, password, address, SignInService.Via.FORM);
        if (outcome instanceof SignInService.Throttled throttled) {
            long seconds = throttled.retryAfter().toSeconds();
            return Response.status(429).entity(Templates.login(false, seconds)).header("Retry-After", String.valueOf(seconds))
                    .header("Cache-Control", "no-store").build();
        }
        if (!(outcome instanceof SignInService.SignedIn signedIn)) {
            return Response.status(302).location(URI.create("/admin/login?error=true")).header("Cache-Control", "no-store").build();
        }
        sessions.close(previous); // a new session, never one the browser was given before
        String secret = sessions.open(signedIn.user().id);
        return Response.status(302).location(URI.create("/admin")).cookie(cookie(secret, uri)).build();
    }

    @POST
    @Path("/logout")
    @Authenticated
    public Response logout(@CookieParam(EditorSessions.COOKIE) String secret, UriInfo uri) {
        sessions.close(secret);
        return Response.seeOther(URI.create("/admin/login")).cookie(cookie("", uri)).build();
    }

    @GET
    @Path("/account")
    @Authenticated
    public TemplateInstance account(@QueryParam("notice") String notice) {
        return Templates.account(context.chrome("account"), Map.of(),
                "password".equals(notice) ? "Password changed. Every other browser signed in as you has been signed out." : null);
    }

    /** Changes the signed-in user's password; every session of theirs ends, and this browser gets a new one. */
    @POST
    @Path("/account/password")
    @Authenticated
    public Response changePassword(@RestForm String current, @RestForm String password, @RestForm String repeat, UriInfo uri) {
        try {
            if (password == null || !password.equals(repeat)) {
                throw ProblemException.invalid("repeat", "does not match the new password");
            }
            User user = users.changePassword(context.username(), current, password);
            return Response.seeOther(URI.create("/admin/account?notice=password")).cookie(cookie(sessions.open(user.id), uri)).build();
        } catch (ProblemException e) {
            return Response.status(e.status()).entity(Templates.account(context.chrome("account"), FieldErrors.of(e, "password"), null))
                    .build();
        }
    }

    /**
     * The session cookie: never readable by scripts, never sent from another site, and only over HTTPS when the site is
     * (its base URL says so even behind a proxy that ends TLS) or the request came that way.
     */
    private NewCookie cookie(String secret, UriInfo uri) {
        boolean https = site.baseUrl().startsWith("https:") || "https".equals(uri.getRequestUri().getScheme());
        return new NewCookie.Builder(EditorSessions.COOKIE).value(secret).path("/").httpOnly(true)
                .secure(https).sameSite(NewCookie.SameSite.STRICT)
                .maxAge(secret.isEmpty() ? 0 : -1).build();
    }
}
