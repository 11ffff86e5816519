package dev.gazette.fediverse.web;

import java.io.InputStream;
import java.net.URI;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import dev.gazette.fediverse.ActivityStreams;
import dev.gazette.fediverse.Federation;
import dev.gazette.fediverse.PublicationActor;
import dev.gazette.fediverse.inbox.Inbox;

/**
 * The publication's actor and its collections under {@code /ap/}. The actor is served to anyone without a signature
 * (other servers need its key to check ours); a browser is sent to the front page. The inboxes answer 202 to a signed
 * activity they take (checked now or in the background, see {@link Inbox}), a problem otherwise.
 */
@Path("/ap")
public class ActorResource {

    private final PublicationActor actor;
    private final Federation federation;
    private final JsonResponses responses;
    private final Inbox inbox;

    ActorResource(PublicationActor actor, Federation federation, JsonResponses responses, Inbox inbox) {
        this.actor = actor;
        this.federation = federation;
        this.responses = responses;
        this.inbox = inbox;
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
    public Response inbox(@Context HttpHeaders headers, InputStream body) {
        inbox.receive(false, headers.getRequestHeaders(), body);
        return Response.accepted().build();
    }

    @POST
    @Path("inbox")
    public Response sharedInbox(@Context HttpHeaders headers, InputStream body) {
        inbox.receive(true, headers.getRequestHeaders(), body);
        return Response.accepted().build();
    }
}
