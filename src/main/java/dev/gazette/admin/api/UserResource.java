package dev.gazette.admin.api;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.gazette.admin.User;
import dev.gazette.admin.UserService;
import dev.gazette.common.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * People who may sign in. Administrators manage users; anyone changes their own password.
 */
@Path("/api/v1/users")
@Tag(name = "Users")
@SecurityRequirement(name = "apiToken")
@RolesAllowed(Roles.ADMIN)
public class UserResource {

    private final UserService users;
    private final SecurityIdentity identity;

    UserResource(UserService users, SecurityIdentity identity) {
        this.users = users;
        this.identity = identity;
    }

    /** A new password for oneself, given the current one. */
    public record PasswordChange(
            @Schema(description = "The current password") @NotBlank @Size(max = 200) String current,
            @Schema(description = "The new password, at least 12 characters") @NotBlank
            @Size(min = UserService.MIN_PASSWORD_LENGTH, max = 200) String password) {
    }

    /** A new user. */
    public record CreateUserRequest(
            @Schema(examples = "jane") @NotBlank @Size(max = 100) @Pattern(regexp = "[A-Za-z0-9._-]+",
                    message = "may contain only letters, digits, dot, dash and underscore") String username,
            @Schema(examples = "correct horse battery staple") @NotBlank @Size(min = UserService.MIN_PASSWORD_LENGTH, max = 200) String password,
            @Schema(examples = "editor") @NotBlank @Pattern(regexp = "admin|editor", message = "must be admin or editor") String role) {
    }

    /** A user as listed: never the password hash. */
    public record UserView(long id, String username, String role, Instant createdAt) {
        static UserView of(User u) {
            return new UserView(u.id, u.username, u.role, u.createdAt);
        }
    }

    @GET
    @Operation(summary = "List users")
    public List<UserView> list() {
        return users.list().stream().map(UserView::of).toList();
    }

    @POST
    @Operation(summary = "Create a user")
    public Response create(@Valid CreateUserRequest request) {
        User user = users.create(request.username(), request.password(), request.role());
        return Response.created(URI.create("/api/v1/users/" + user.id)).entity(UserView.of(user)).build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Remove a user", description = "Their editor sessions and API tokens stop working at once."
            + " Nobody removes themselves, and the last administrator stays.")
    public Response remove(@PathParam("id") long id) {
        users.remove(id, identity.getPrincipal().getName());
        return Response.noContent().build();
    }

    @PUT
    @Path("/me/password")
    @RolesAllowed({ Roles.ADMIN, Roles.EDITOR })
    @Operation(summary = "Change your own password", description = "Ends all of your editor UI sessions.")
    public Response changePassword(@Valid @NotNull PasswordChange request) {
        users.changePassword(identity.getPrincipal().getName(), request.current(), request.password());
        return Response.noContent().build();
    }
}
