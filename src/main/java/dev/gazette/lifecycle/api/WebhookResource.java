package dev.gazette.lifecycle.api;

import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.gazette.common.security.Roles;
import dev.gazette.lifecycle.WebhookEndpoint;
import dev.gazette.lifecycle.WebhookEndpointInput;
import dev.gazette.lifecycle.WebhookEndpoints;

/**
 * Event webhook endpoints, with write-only secrets, their delivery logs and replays.
 */
@Path("/api/v1/webhooks")
@Tag(name = "Event webhooks")
@SecurityRequirement(name = "apiToken")
@RolesAllowed(Roles.EDITOR)
public class WebhookResource {

    private final WebhookEndpoints endpoints;

    WebhookResource(WebhookEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @GET
    @Operation(summary = "List webhook endpoints")
    public List<WebhookView> list() {
        return endpoints.list().stream().map(WebhookView::of).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a webhook endpoint")
    public WebhookView get(@PathParam("id") long id) {
        return WebhookView.of(endpoints.get(id));
    }

    @POST
    @Operation(summary = "Add a webhook endpoint", description = "Required: name, url, secret (at least 16 characters). events: the types to deliver, all when empty.")
    public Response create(@Valid @NotNull WebhookEndpointInput input) {
        WebhookEndpoint e = endpoints.create(input);
        return Response.created(URI.create("/api/v1/webhooks/" + e.id)).entity(WebhookView.of(e)).build();
    }

    @PATCH
    @Path("/{id}")
    @Operation(summary = "Change a webhook endpoint", description = "Omitted fields keep their value; a secret given replaces the stored one.")
    public WebhookView update(@PathParam("id") long id, @Valid @NotNull WebhookEndpointInput input) {
        return WebhookView.of(endpoints.update(id, input));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a webhook endpoint", description = "Its deliveries go with it.")
    public Response delete(@PathParam("id") long id) {
        endpoints.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/resume")
    @Operation(summary = "Resume a paused endpoint", description = "Its waiting deliveries are due at once.")
    public WebhookView resume(@PathParam("id") long id) {
        return WebhookView.of(endpoints.resume(id));
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(summary = "An endpoint's latest deliveries, newest first")
    public List<DeliveryView> deliveries(@PathParam("id") long id, @QueryParam("limit") @DefaultValue("50") int limit) {
        return endpoints.deliveries(id, limit).stream().map(DeliveryView::of).toList();
    }

    @POST
    @Path("/{id}/deliveries/{delivery}/replay")
    @Operation(summary = "Send a delivery again", description = "With the same delivery id, at the dispatcher's next run.")
    public Response replay(@PathParam("id") long id, @PathParam("delivery") long delivery) {
        endpoints.replay(id, delivery);
        return Response.accepted().build();
    }
}
