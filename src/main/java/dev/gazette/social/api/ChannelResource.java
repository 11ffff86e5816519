package dev.gazette.social.api;

import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.gazette.common.security.Roles;
import dev.gazette.social.Channel;
import dev.gazette.social.ChannelInput;
import dev.gazette.social.ChannelService;
import dev.gazette.social.spi.Verification;

/**
 * Social channels: where articles are posted, with write-only credentials.
 */
@Path("/api/v1/channels")
@Tag(name = "Social channels")
@SecurityRequirement(name = "apiToken")
@RolesAllowed(Roles.EDITOR)
public class ChannelResource {

    private final ChannelService channels;

    ChannelResource(ChannelService channels) {
        this.channels = channels;
    }

    /** The answer of a credentials check. */
    public record VerificationView(boolean ok, String account, String problem, ChannelView channel) {
    }

    @GET
    @Operation(summary = "List channels")
    public List<ChannelView> list() {
        return channels.list().stream().map(this::view).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a channel")
    public ChannelView get(@PathParam("id") long id) {
        return view(channels.get(id));
    }

    @POST
    @Operation(summary = "Add a channel", description = "Required: network, name, the network's credentials (see the README's table), and baseUrl or account where the network needs them.")
    public Response create(@Valid @NotNull ChannelInput input) {
        Channel c = channels.create(input);
        return Response.created(URI.create("/api/v1/channels/" + c.id)).entity(view(c)).build();
    }

    @PATCH
    @Path("/{id}")
    @Operation(summary = "Change a channel", description = "Omitted fields keep their value; credentials given replace the stored ones (and lift NEEDS_REAUTH).")
    public ChannelView update(@PathParam("id") long id, @Valid @NotNull ChannelInput input) {
        return view(channels.update(id, input));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a channel", description = "Its posts' history goes with it; set status DISABLED to keep the history.")
    public Response delete(@PathParam("id") long id) {
        channels.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/verify")
    @Operation(summary = "Verify a channel's credentials", description = "A read-only call to the network; refused credentials set the channel to NEEDS_REAUTH.")
    public VerificationView verify(@PathParam("id") long id) {
        Verification v = channels.verify(id);
        return new VerificationView(v.ok(), v.ok() ? v.detail() : null, v.ok() ? null : v.detail(), get(id));
    }

    private ChannelView view(Channel c) {
        return ChannelView.of(c, channels.credentialNames(c));
    }
}
