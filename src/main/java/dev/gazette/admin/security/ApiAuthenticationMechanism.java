package dev.gazette.admin.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.security.credential.PasswordCredential;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads {@code Authorization: Bearer <API token>} on the editor API. The token endpoint alone also accepts a user's
 * name and password (HTTP Basic), which is how the first token is created.
 */
@ApplicationScoped
public class ApiAuthenticationMechanism implements HttpAuthenticationMechanism {

    static final String TOKENS_PATH = "/api/v1/tokens";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String header = context.request().getHeader(HttpHeaderNames.AUTHORIZATION);
        if (header == null) {
            return Uni.createFrom().nullItem();
        }
        AuthenticationRequest request = null;
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            request = new TokenAuthenticationRequest(new TokenCredential(header.substring(7).trim(), "bearer"));
        } else if (header.regionMatches(true, 0, "Basic ", 0, 6) && TOKENS_PATH.equals(context.normalizedPath())) {
            request = basic(header.substring(6).trim());
        }
        if (request == null) {
            return Uni.createFrom().nullItem();
        }
        HttpSecurityUtils.setRoutingContextAttribute(request, context);
        return identityProviderManager.authenticate(request);
    }

    private static AuthenticationRequest basic(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        return new UsernamePasswordAuthenticationRequest(decoded.substring(0, colon).toLowerCase(java.util.Locale.ROOT),
                new PasswordCredential(decoded.substring(colon + 1).toCharArray()));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        if (context.normalizedPath().startsWith("/admin")) {
            return Uni.createFrom().nullItem(); // the editor UI's form login answers there (a redirect to its page)
        }
        return Uni.createFrom().item(new ChallengeData(HttpResponseStatus.UNAUTHORIZED.code(),
                HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"Gazette\""));
    }

    /** Named "bearer" so that {@code quarkus.http.auth.permission.api.auth-mechanism=bearer} selects it on the API. */
    @Override
    public Uni<io.quarkus.vertx.http.runtime.security.HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new io.quarkus.vertx.http.runtime.security.HttpCredentialTransport(
                io.quarkus.vertx.http.runtime.security.HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class, UsernamePasswordAuthenticationRequest.class);
    }
}
