package dev.gazette.admin.web;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import dev.gazette.admin.ApiToken;
import dev.gazette.admin.ApiTokenService;
import dev.gazette.admin.User;
import dev.gazette.admin.UserService;
import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Users and API tokens, for administrators: add and remove users (removal ends their sessions and tokens), issue
 * and revoke tokens.
 */
@Path("/admin")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.ADMIN)
public class UserPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance users(AdminChrome chrome, List<User> users, List<ApiToken> tokens,
                Map<String, String> errors, String notice, String newToken);
    }

    private final AdminContext context;
    private final UserService users;
    private final ApiTokenService tokens;

    UserPages(AdminContext context, UserService users, ApiTokenService tokens) {
        this.context = context;
        this.users = users;
        this.tokens = tokens;
    }

    @GET
    @Path("/users")
    public TemplateInstance usersPage(@QueryParam("notice") String notice) {
        String text = notice == null ? null : switch (notice) {
            case "created" -> "User created.";
            case "removed" -> "User removed: their sessions and API tokens no longer work.";
            case "revoked" -> "Token revoked: it no longer works.";
            default -> null;
        };
        return usersTemplate(Map.of(), text, null);
    }

    private TemplateInstance usersTemplate(Map<String, String> errors, String notice, String newToken) {
        return Templates.users(context.chrome("users"), users.list(), tokens.list(), errors, notice, newToken);
    }

    @POST
    @Path("/users")
    public Response createUser(@RestForm String username, @RestForm String password, @RestForm String role) {
        try {
            users.create(username, password, role);
        } catch (ProblemException e) {
            return Response.status(e.status()).entity(usersTemplate(FieldErrors.of(e, "username"), null, null)).build();
        }
        return Response.seeOther(URI.create("/admin/users?notice=created")).build();
    }

    @POST
    @Path("/users/{id}/remove")
    public Response removeUser(@PathParam("id") long id) {
        try {
            users.remove(id, context.username());
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw e;
            }
            return Response.status(e.status()).entity(usersTemplate(Map.of(), e.getMessage(), null)).build();
        }
        return Response.seeOther(URI.create("/admin/users?notice=removed")).build();
    }

    /** Issues an API token to the signed-in administrator; its secret is shown once, on this answer only. */
    @POST
    @Path("/tokens")
    public Response createToken(@RestForm String name, @RestForm Integer expiresInDays) {
        try {
            ApiTokenService.Issued issued = tokens.issue(context.username(), name, expiresInDays);
            return Response.ok(usersTemplate(Map.of(), "Token created. Copy it now: it is not shown again.", issued.secret()))
                    .header("Cache-Control", "no-store").build();
        } catch (ProblemException e) {
            return Response.status(e.status()).entity(usersTemplate(FieldErrors.of(e, "name"), null, null)).build();
        }
    }

    @POST
    @Path("/tokens/{id}/revoke")
    public Response revokeToken(@PathParam("id") long id) {
        tokens.revoke(id).orElseThrow(() -> ProblemException.notFound("Token " + id));
        return Response.seeOther(URI.create("/admin/users?notice=revoked")).build();
    }
}
