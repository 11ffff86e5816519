package dev.gazette.fediverse.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import dev.gazette.fediverse.NodeInfo;

/** The NodeInfo 2.1 document that {@code /.well-known/nodeinfo} links to. */
@Path("/nodeinfo")
public class NodeInfoResource {

    private final NodeInfo nodeInfo;
    private final JsonResponses responses;

    NodeInfoResource(NodeInfo nodeInfo, JsonResponses responses) {
        this.nodeInfo = nodeInfo;
        this.responses = responses;
    }

    @GET
    @Path("2.1")
    public Response document() {
        return responses.ok(nodeInfo.document(), NodeInfo.MEDIA_TYPE).build();
    }
}
