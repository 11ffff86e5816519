package dev.gazette.social.connector.bluesky;

import java.nio.charset.StandardCharsets;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gazette.social.spi.PublishResult;
import dev.gazette.social.spi.RateLimits;
import dev.gazette.social.spi.SocialHttp;

/**
 * What Bluesky's PDS speaks: the XRPC endpoints Gazette calls, and how their answers and errors read.
 */
final class Xrpc {

    static final String CREATE_SESSION = "/xrpc/com.atproto.server.createSession";
    static final String REFRESH_SESSION = "/xrpc/com.atproto.server.refreshSession";
    static final String GET_SESSION = "/xrpc/com.atproto.server.getSession";
    static final String UPLOAD_BLOB = "/xrpc/com.atproto.repo.uploadBlob";
    static final String CREATE_RECORD = "/xrpc/com.atproto.repo.createRecord";

    /** Error names with which a PDS says the bearer token no longer works (400 or 401). */
    private static final Set<String> TOKEN_ERRORS = Set.of("ExpiredToken", "InvalidToken");
    /** Error names that mean the account itself cannot post: an editor must look at the channel. */
    private static final Set<String> ACCOUNT_ERRORS = Set.of("AccountTakedown", "AccountDeactivated",
            "AccountSuspended");

    private Xrpc() {
    }

    /** Ends an attempt early with its outcome (a failed login, refresh or upload). */
    static final class Stop extends Exception {
        final PublishResult result;

        Stop(PublishResult result) {
            super(null, null, false, false);
            this.result = result;
        }
    }

    /** A 429: the PDS gives the end of the window as epoch seconds in {@code RateLimit-Reset}. */
    static PublishResult rateLimited(SocialHttp.Response response, Instant now) {
        Instant notBefore = RateLimits.epochSeconds(response, "RateLimit-Reset")
                .or(() -> RateLimits.retryAfter(response, now))
                .orElse(null);
        return new PublishResult.Retryable(notBefore, true, message(response));
    }

    static PublishResult notSent(SocialHttp.NotSent e) {
        return e.permanent() ? new PublishResult.Rejected(e.getMessage())
                : new PublishResult.Retryable(null, false, e.getMessage());
    }

    /** Whether the PDS refused the bearer token: any 401, or a 400 naming an expired or invalid token. */
    static boolean tokenRefused(SocialHttp.Response response) {
        return response.status() == 401
                || (response.status() == 400 && TOKEN_ERRORS.contains(response.json().path("error").asText("")));
    }

    static boolean accountGone(SocialHttp.Response response) {
        return response.status() >= 400 && response.status() < 500
                && ACCOUNT_ERRORS.contains(response.json().path("error").asText(""));
    }

    /** The PDS's own words: XRPC errors are {@code {"error": name, "message": text}}. */
    static String message(SocialHttp.Response response) {
        JsonNode body = response.json();
        String message = body.path("message").asText("");
        if (!message.isBlank()) {
            return message;
        }
        String error = body.path("error").asText("");
        return error.isBlank() ? "HTTP " + response.status() : error;
    }

    static HttpRequest.BodyPublisher json(JsonNode body) {
        return HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8);
    }
}
