package dev.gazette.social.connector.facebook;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gazette.common.Text;
import dev.gazette.social.Network;
import dev.gazette.social.spi.ChannelAccess;
import dev.gazette.social.spi.Connector;
import dev.gazette.social.spi.CredentialField;
import dev.gazette.social.spi.Post;
import dev.gazette.social.spi.PublishResult;
import dev.gazette.social.spi.RateLimits;
import dev.gazette.social.spi.SocialHttp;
import dev.gazette.social.spi.TextRules;
import dev.gazette.social.spi.Verification;

/**
 * Posts to a Facebook Page with {@code POST /{version}/{page-id}/feed} ({@code message}, {@code link},
 * {@code access_token} as a form), as https://developers.facebook.com/docs/pages-api/posts describes. The channel's
 * account is the numeric page id; its credential a Page access token. Facebook builds the preview from the link's
 * Open Graph tags.
 */
@Singleton
public class FacebookConnector implements Connector {

    static final String PAGE_ACCESS_TOKEN = "pageAccessToken";

    /**
     * How long to pause when Facebook throttles but none of its usage headers says for how long. Platform limits use
     * a rolling one-hour window (https://developers.facebook.com/docs/graph-api/overview/rate-limiting), so an hour is
     * the longest a window-based limit can last; Page limits roll over 24 hours and may need a second pause.
     */
    static final Duration THROTTLE_FALLBACK = Duration.ofHours(1);

    /** Throttling codes: 4 app, 17 user, 32 Page, 613 custom, 341 app limit; 80001 Page business-use-case limit. */
    static final Set<Integer> THROTTLED = Set.of(4, 17, 32, 341, 613, 80001);
    /** Duplicate content: 506 "Duplicate status message"; subcode 1366051 as given in the project's API notes. */
    static final int DUPLICATE_POST = 506;
    static final int DUPLICATE_SUBCODE = 1366051;

    private static final Pattern PAGE_ID = Pattern.compile("[0-9]{1,32}");

    private final String graphUrl;
    private final String apiVersion;
    private final SocialHttp http;

    @Inject
    FacebookConnector(FacebookConfig config, SocialHttp http) {
        this(config.graphUrl(), config.apiVersion(), http);
    }

    /**
     * @param graphUrl the Graph API base URL, e.g. {@code https://graph.facebook.com}
     * @param apiVersion the version path segment, e.g. {@code v25.0}
     */
    public FacebookConnector(String graphUrl, String apiVersion, SocialHttp http) {
        this.graphUrl = Text.withoutTrailingSlash(graphUrl);
        this.apiVersion = apiVersion;
        this.http = http;
    }

    @Override
    public Network network() {
        return Network.FACEBOOK;
    }

    @Override
    public String label() {
        return "Facebook Page";
    }

    @Override
    public Optional<String> accountHint() {
        return Optional.of("The numeric id of the Facebook page.");
    }

    @Override
    public List<CredentialField> credentialFields() {
        return List.of(new CredentialField(PAGE_ACCESS_TOKEN, true,
                "A Page access token for the page (GET /me/accounts with a user token of a page admin who can "
                        + "perform CREATE_CONTENT; prefer a long-lived or system-user token). The Meta app needs "
                        + "pages_manage_posts and pages_read_engagement (and pages_show_list to list the pages)."));
    }

    /**
     * 63,206 characters: the long-standing Page post limit as widely cited (Meta's reference does not state it).
     * Counted in UTF-16 units, which never under-counts.
     */
    @Override
    public TextRules textRules(ChannelAccess channel) {
        return TextRules.utf16(63_206);
    }

    @Override
    public Verification verify(ChannelAccess channel) {
        if (!validPageId(channel.account())) {
            return Verification.failed(pageIdProblem(channel.account()));
        }
        String token;
        try {
            token = channel.credential(PAGE_ACCESS_TOKEN);
        } catch (IllegalStateException e) {
            return Verification.refused(e.getMessage());
        }
        URI uri = URI.create(graphUrl + "/" + apiVersion + "/" + channel.account() + "?fields=name&access_token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8));
        SocialHttp.Response response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).GET());
        } catch (SocialHttp.NotSent | SocialHttp.OutcomeUnknown e) {
            return Verification.failed(e.getMessage());
        }
        if (response.ok()) {
            String name = response.json().path("name").asText("");
            return name.isEmpty() ? Verification.failed("Facebook answered without the page's name")
                    : Verification.ok(name);
        }
        GraphError error = GraphError.of(response);
        if (error.invalidToken() || response.status() == 401) {
            return Verification.refused(error.message());
        }
        return Verification.failed(error.message());
    }

    @Override
    public PublishResult publish(ChannelAccess channel, Post post) {
        if (!validPageId(channel.account())) {
            return new PublishResult.Rejected(pageIdProblem(channel.account()));
        }
        String token;
        try {
            token = channel.credential(PAGE_ACCESS_TOKEN);
        } catch (IllegalStateException e) {
            return new PublishResult.AuthExpired(e.getMessage());
        }
        StringBuilder form = new StringBuilder("message=").append(encode(post.text()));
        if (post.link() != null && !post.link().isBlank()) {
            form.append("&link=").append(encode(post.link()));
        }
        form.append("&access_token=").append(encode(token));
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create(graphUrl + "/" + apiVersion + "/" + channel.account() + "/feed"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString()));
        return http.publish(request, this::outcome);
    }

    private PublishResult outcome(SocialHttp.Response response) {
        if (response.ok()) {
            String id = response.json().path("id").asText(""); // "{page-id}_{post-id}"
            return id.isEmpty() ? new PublishResult.Published(null, null)
                    : new PublishResult.Published(id, "https://www.facebook.com/" + id);
        }
        GraphError error = GraphError.of(response);
        int status = response.status();
        if (THROTTLED.contains(error.code()) || status == 429) {
            return new PublishResult.Retryable(notBefore(response), true, error.message());
        }
        if (error.invalidToken() || status == 401) {
            return new PublishResult.AuthExpired(error.message());
        }
        if (error.code() == 10 || (error.code() >= 200 && error.code() <= 299)) {
            // "Permission is either not granted or has been removed": only reconnecting with the permission helps.
            return new PublishResult.AuthExpired(error.message());
        }
        if (error.code() == DUPLICATE_POST || error.subcode() == DUPLICATE_SUBCODE) {
            return new PublishResult.Rejected(error.message());
        }
        if (error.code() == 368) {
            // "Temporarily blocked for policies violations" (also sent for "You've already posted this"): posting
            // the same again could only prolong the block, so an editor decides.
            return new PublishResult.Rejected(error.message());
        }
        if (error.code() == 1 || error.code() == 2 || error.isTransient() || status >= 500) {
            return new PublishResult.Retryable(null, false, error.message());
        }
        return new PublishResult.Rejected(error.message());
    }

    /**
     * When to try again after throttling: the largest {@code estimated_time_to_regain_access} (minutes) in the usage
     * headers ({@code X-Business-Use-Case-Usage}, which Page tokens are measured by, {@code X-Page-Usage},
     * {@code X-App-Usage}); else {@code Retry-After}; else {@link #THROTTLE_FALLBACK}.
     */
    Instant notBefore(SocialHttp.Response response) {
        Instant now = http.clock().instant();
        int minutes = 0;
        for (String header : List.of("X-Business-Use-Case-Usage", "X-Page-Usage", "X-App-Usage")) {
            Optional<String> value = response.header(header);
            if (value.isPresent()) {
                minutes = Math.max(minutes, regainMinutes(value.get()));
            }
        }
        if (minutes > 0) {
            return now.plus(Duration.ofMinutes(minutes));
        }
        return RateLimits.retryAfter(response, now).orElse(now.plus(THROTTLE_FALLBACK));
    }

    /**
     * The largest {@code estimated_time_to_regain_access} in a usage header, whichever of its two shapes it has: a
     * flat object ({@code X-App-Usage}, {@code X-Page-Usage}) or, for business use cases, an object of arrays keyed
     * by business object id ({@code {"<id>": [{"type": "pages", ..., "estimated_time_to_regain_access": 19}]}}).
     */
    static int regainMinutes(String headerValue) {
        JsonNode json;
        try {
            json = SocialHttp.json().readTree(headerValue);
        } catch (Exception e) {
            return 0;
        }
        if (json == null || !json.isObject()) {
            return 0;
        }
        int minutes = json.path("estimated_time_to_regain_access").asInt(0);
        for (JsonNode entries : json) {
            for (JsonNode entry : entries.isArray() ? entries : SocialHttp.json().createArrayNode()) {
                minutes = Math.max(minutes, entry.path("estimated_time_to_regain_access").asInt(0));
            }
        }
        return minutes;
    }

    /** The Graph API's error object: {@code {"error": {message, type, code, error_subcode, fbtrace_id}}}. */
    record GraphError(String message, int code, int subcode, boolean isTransient) {

        static GraphError of(SocialHttp.Response response) {
            JsonNode error = response.json().path("error");
            String message = error.path("message").asText("");
            return new GraphError(message.isBlank() ? "HTTP " + response.status() : message,
                    error.path("code").asInt(0), error.path("error_subcode").asInt(0),
                    error.path("is_transient").asBoolean(false));
        }

        /** 190 "Access token has expired"; 102 "API Session" (login status or token expired, revoked or invalid). */
        boolean invalidToken() {
            return code == 190 || code == 102;
        }
    }

    @Override
    public java.util.Map<String, String> problems(String account, java.util.Map<String, String> credentials) {
        return validPageId(account) ? java.util.Map.of() : java.util.Map.of("account", pageIdProblem(account));
    }

    private static boolean validPageId(String account) {
        return account != null && PAGE_ID.matcher(account).matches();
    }

    private static String pageIdProblem(String account) {
        return "The channel's account must be the numeric Facebook page id, not \"" + account + "\"";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
