package dev.gazette.fediverse.web;

import java.net.URI;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import dev.gazette.common.error.Problem;
import dev.gazette.fediverse.ActivityStreams;
import dev.gazette.fediverse.Federation;
import dev.gazette.fediverse.PublicationActor;

/**
 * The publication's actor and its collections under {@code /ap/}. The actor is served to anyone without a signature
 * (other servers need its key to check ours); a browser is sent to the front page. The inboxes do not accept
 * activities yet: they answer 501 with a problem body, so a sender knows nothing was stored and may try again later.
 */
@Path("/ap")
public class ActorResource {

    private final PublicationActor actor;
    private final Federation federation;
    private final JsonResponses responses;

    ActorResource(PublicationActor actor, Federation federation, JsonResponses responses) {
        this.actor = actor;
        this.federation = federation;
        this.responses = responses;
    }

    @GET
    @Path("actor")
    public Response actor(@HeaderParam(HttpHeaders.ACCEPT) String accept) {
        federation.requireEnabled();
        if (!ActivityStreams.wanted(accept)) {
            return Response.seeOther(URI.create(federation.profileUrl())).header(HttpHeaders.VARY, HttpHeaders.ACCEPT).build();
        }
        return responses.ok(actor.actor(), ActivityStreams.MEDIA_TYPE).header(HttpHeaders.VARY, HttpHeaders.ACCEPT).build();
    }

    @GET
    @Path("actor/outbox")
    public Response outbox(@QueryParam("page") String page) {
        return responses.ok(actor.outbox(page), ActivityStreams.MEDIA_TYPE).build();
    }

    @GET
    @Path("actor/followers")
    public Response followers(@QueryParam("page") String page) {
        return responses.ok(actor.followers(page), ActivityStreams.MEDIA_TYPE).build();
    }

    @GET
    @Path("actor/following")
    public Response following(@QueryParam("page") String page) {
        return responses.ok(actor.following(page), ActivityStreams.MEDIA_TYPE).build();
    }

    @POST
    @Path("actor/inbox")
    public Response inbox(UriInfo uri) {
        return notAccepted(uri);
    }

    @POST
    @Path("inbox")
    public Response sharedInbox(UriInfo uri) {
        return notAccepted(uri);
    }

    private Response notAccepted(UriInfo uri) {
        federation.requireEnabled();
        return Response.status(501).type(Problem.MEDIA_TYPE).entity(new Problem("about:blank", "Not Implemented", 501,
                "This publication does not accept ActivityPub activities yet: nothing was stored.", uri.getPath(), null))
                .build();
    }
}
