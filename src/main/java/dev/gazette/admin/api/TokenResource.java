package dev.gazette.admin.api;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.gazette.admin.ApiToken;
import dev.gazette.admin.ApiTokenService;
import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * API tokens: created and revoked by administrators. The secret is returned once, at creation.
 */
@Path("/api/v1/tokens")
@Tag(name = "API tokens")
@SecurityRequirement(name = "apiToken")
@RolesAllowed(Roles.ADMIN)
public class TokenResource {

    private final ApiTokenService tokens;
    private final SecurityIdentity identity;

    TokenResource(ApiTokenService tokens, SecurityIdentity identity) {
        this.tokens = tokens;
        this.identity = identity;
    }

    /** What to create. */
    public record CreateTokenRequest(
            @Schema(examples = "CMS integration") @NotBlank @Size(max = 100) String name,
            @Schema(description = "User the token acts as; the caller when omitted", examples = "editor") @Size(max = 100) String username,
            @Schema(description = "Days until the token expires; never when omitted", examples = "90") @Min(1) @Max(3650) Integer expiresInDays) {
    }

    /** A token as listed: never its secret. */
    public record TokenView(long id, String name, String prefix, String username, Instant createdAt, Instant expiresAt,
            Instant lastUsedAt, Instant revokedAt) {

        static TokenView of(ApiToken t) {
            return new TokenView(t.id, t.name, t.tokenPrefix, t.user.username, t.createdAt, t.expiresAt, t.lastUsedAt,
                    t.revokedAt);
        }
    }

    /** A new token with its secret, shown only in this response. */
    public record CreatedToken(long id, String name, String prefix, String username, Instant expiresAt,
            @Schema(description = "Send as Authorization: Bearer <token>. Shown only once.") String token) {
    }

    @POST
    @Operation(summary = "Create an API token", description = "Administrators only. Accepts an administrator's API token,"
            + " or HTTP Basic with an administrator's user name and password to create the first token.")
    public Response create(@Valid CreateTokenRequest request) {
        String username = request.username() == null || request.username().isBlank()
                ? identity.getPrincipal().getName()
                : request.username().trim().toLowerCase(java.util.Locale.ROOT);
        ApiTokenService.Issued issued = tokens.issue(username, request.name(), request.expiresInDays());
        ApiToken t = issued.token();
        return Response.created(URI.create("/api/v1/tokens/" + t.id))
                .entity(new CreatedToken(t.id, t.name, t.tokenPrefix, username, t.expiresAt, issued.secret()))
                .build();
    }

    @GET
    @Operation(summary = "List API tokens")
    public List<TokenView> list() {
        return tokens.list().stream().map(TokenView::of).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get an API token")
    public TokenView get(@PathParam("id") long id) {
        return tokens.find(id).map(TokenView::of).orElseThrow(() -> ProblemException.notFound("API token " + id));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke an API token", description = "Takes effect at once; revoking twice is harmless.")
    public Response revoke(@PathParam("id") long id) {
        tokens.revoke(id).orElseThrow(() -> ProblemException.notFound("API token " + id));
        return Response.noContent().build();
    }
}
