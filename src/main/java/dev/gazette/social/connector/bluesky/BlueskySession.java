package dev.gazette.social.connector.bluesky;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gazette.social.spi.SocialHttp;

/**
 * A logged-in session on a PDS, as kept in the channel's {@code SessionStore} between posts: JSON
 * {@code {did, handle, accessJwt, refreshJwt}}.
 */
record BlueskySession(String did, String handle, String accessJwt, String refreshJwt) {

    /** The session in a createSession or refreshSession answer; empty when a token is missing. */
    static Optional<BlueskySession> fromJson(JsonNode node) {
        String access = node.path("accessJwt").asText("");
        String refresh = node.path("refreshJwt").asText("");
        if (access.isEmpty() || refresh.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new BlueskySession(node.path("did").asText(""), node.path("handle").asText(""), access,
                refresh));
    }

    /** The stored form; empty for a store value that is not a session (then the connector logs in again). */
    static Optional<BlueskySession> parse(String stored) {
        try {
            return fromJson(SocialHttp.json().readTree(stored));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    String toJson() {
        ObjectNode node = SocialHttp.json().createObjectNode();
        node.put("did", did).put("handle", handle).put("accessJwt", accessJwt).put("refreshJwt", refreshJwt);
        return node.toString();
    }

    /** Whether the access token is still good at {@code at}; true when its expiry cannot be read. */
    boolean accessValidAt(Instant at) {
        return expiry(accessJwt).map(at::isBefore).orElse(true);
    }

    /** Whether the refresh token is still good at {@code at}; true when its expiry cannot be read. */
    boolean refreshValidAt(Instant at) {
        return expiry(refreshJwt).map(at::isBefore).orElse(true);
    }

    /**
     * The {@code exp} claim of a JWT: its middle part is base64url JSON. The signature is not checked, the PDS does
     * that; this only saves a refused request when the token is known to be about to expire.
     */
    static Optional<Instant> expiry(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            byte[] payload = Base64.getUrlDecoder().decode(parts[1]);
            JsonNode exp = SocialHttp.json().readTree(new String(payload, StandardCharsets.UTF_8)).path("exp");
            return exp.isNumber() ? Optional.of(Instant.ofEpochSecond(exp.asLong())) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "BlueskySession[did=" + did + ", handle=" + handle + "]";
    }
}
