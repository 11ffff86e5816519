package dev.gazette.fediverse.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import dev.gazette.fediverse.NodeInfo;
import dev.gazette.fediverse.WebFinger;

/**
 * How other servers find the publication: WebFinger ({@code @news@host} to the actor) and NodeInfo (what software this
 * is). 404 for every address when federation is off.
 */
@Path("/.well-known")
public class DiscoveryResource {

    private final WebFinger webFinger;
    private final NodeInfo nodeInfo;
    private final JsonResponses responses;

    DiscoveryResource(WebFinger webFinger, NodeInfo nodeInfo, JsonResponses responses) {
        this.webFinger = webFinger;
        this.nodeInfo = nodeInfo;
        this.responses = responses;
    }

    @GET
    @Path("webfinger")
    public Response webfinger(@QueryParam("resource") String resource) {
        return webFinger.lookup(resource).map(jrd -> responses.ok(jrd, WebFinger.MEDIA_TYPE).build())
                .orElseThrow(jakarta.ws.rs.NotFoundException::new);
    }

    @GET
    @Path("nodeinfo")
    public Response nodeinfo() {
        return responses.ok(nodeInfo.links(), "application/json").build();
    }
}
