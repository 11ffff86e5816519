package dev.gazette.admin.security;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gazette.admin.EditorSessions;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Turns an open editor session into the identity of its user; an unknown, ended or idle session is anonymous.
 */
@ApplicationScoped
public class SessionIdentityProvider implements IdentityProvider<SessionAuthenticationRequest> {

    /** The identity's attribute holding the session's id. */
    public static final String SESSION_ID = "editor-session-id";
    /** The identity's attribute holding the hash of the session's cookie, unique to the session and never reused. */
    public static final String SESSION_HASH = "editor-session-hash";

    private final EditorSessions sessions;

    SessionIdentityProvider(EditorSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public Class<SessionAuthenticationRequest> getRequestType() {
        return SessionAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(SessionAuthenticationRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> sessions.find(request.secret())
                .map(holder -> (SecurityIdentity) QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(holder.username()))
                        .addRoles(holder.roles())
                        .addAttribute(SESSION_ID, holder.sessionId())
                        .addAttribute(SESSION_HASH, holder.tokenHash())
                        .build())
                .orElse(null));
    }
}
