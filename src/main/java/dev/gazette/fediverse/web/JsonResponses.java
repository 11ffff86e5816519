package dev.gazette.fediverse.web;

import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writes fediverse documents with their own media types ({@code application/activity+json},
 * {@code application/jrd+json}, NodeInfo's profile), readable from any origin as WebFinger and ActivityPub customarily
 * are.
 */
@Singleton
public class JsonResponses {

    private final ObjectMapper json;

    JsonResponses(ObjectMapper json) {
        this.json = json;
    }

    public Response.ResponseBuilder ok(Object document, String mediaType) {
        try {
            return Response.ok(json.writeValueAsString(document)).type(mediaType)
                    .header("Access-Control-Allow-Origin", "*")
                    .header("Cache-Control", "public, max-age=180");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
