package dev.gazette.admin.security;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gazette.admin.EditorSessions;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;

/**
 * The editor UI's sign-in: the {@value EditorSessions#COOKIE} cookie names a session row ({@link EditorSessions}),
 * checked on every request, so that an ended session stops working on every instance at once. Signing in is the
 * page {@code POST /admin/j_security_check}; without a session, pages under {@code /admin} send the browser there.
 */
@ApplicationScoped
public class SessionAuthenticationMechanism implements HttpAuthenticationMechanism {

    /** The name {@code quarkus.http.auth.permission.*.auth-mechanism} selects this mechanism by. */
    public static final String SCHEME = "session";
    public static final String LOGIN_PAGE = "/admin/login";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        Cookie cookie = context.request().getCookie(EditorSessions.COOKIE);
        if (cookie == null || cookie.getValue().isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        SessionAuthenticationRequest request = new SessionAuthenticationRequest(cookie.getValue());
        HttpSecurityUtils.setRoutingContextAttribute(request, context);
        // an ended, idle or forged session is no session: anonymous, so the login page itself still opens
        return identityProviderManager.authenticate(request).onFailure(AuthenticationFailedException.class).recoverWithNull();
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        if (!context.normalizedPath().startsWith("/admin")) {
            return Uni.createFrom().nullItem();
        }
        return Uni.createFrom().item(new ChallengeData(302, HttpHeaderNames.LOCATION, LOGIN_PAGE));
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.COOKIE, EditorSessions.COOKIE, SCHEME));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(SessionAuthenticationRequest.class);
    }
}
