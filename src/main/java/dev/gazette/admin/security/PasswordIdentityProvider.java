package dev.gazette.admin.security;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gazette.admin.SignInService;
import dev.gazette.common.error.ErrorMappers;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/**
 * Checks a user's name and password sent with HTTP Basic (the token endpoint only), through the same throttle as the
 * editor UI's form. A throttled attempt fails with the wait in its {@value ErrorMappers#RETRY_AFTER} attribute, which
 * the error mappers answer with 429 and {@code Retry-After}.
 */
@ApplicationScoped
public class PasswordIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    private final SignInService signIns;

    PasswordIdentityProvider(SignInService signIns) {
        this.signIns = signIns;
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request, AuthenticationRequestContext context) {
        RoutingContext http = HttpSecurityUtils.getRoutingContextAttribute(request);
        SocketAddress remote = http == null ? null : http.request().remoteAddress();
        String address = remote == null ? null : remote.hostAddress();
        String password = new String(request.getPassword().getPassword());
        return context.runBlocking(() -> {
            SignInService.Outcome outcome = signIns.attempt(request.getUsername(), password, address, SignInService.Via.BASIC);
            if (outcome instanceof SignInService.SignedIn signedIn) {
                return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(signedIn.user().username))
                        .addRole(signedIn.user().role).build();
            }
            if (outcome instanceof SignInService.Throttled throttled) {
                throw new AuthenticationFailedException("Too many failed sign-ins",
                        Map.of(ErrorMappers.RETRY_AFTER, throttled.retryAfter()));
            }
            throw new AuthenticationFailedException("Wrong user name or password");
        });
    }
}
