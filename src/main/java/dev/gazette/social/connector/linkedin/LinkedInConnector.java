package dev.gazette.social.connector.linkedin;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gazette.common.Text;
import dev.gazette.social.Network;
import dev.gazette.social.spi.ChannelAccess;
import dev.gazette.social.spi.Connector;
import dev.gazette.social.spi.CredentialField;
import dev.gazette.social.spi.LinkCard;
import dev.gazette.social.spi.Post;
import dev.gazette.social.spi.PublishResult;
import dev.gazette.social.spi.RateLimits;
import dev.gazette.social.spi.SocialHttp;
import dev.gazette.social.spi.TextRules;
import dev.gazette.social.spi.Verification;

/**
 * Posts to LinkedIn with the versioned Posts API ({@code POST /rest/posts}), as an organization
 * ({@code urn:li:organization:…}) or a member ({@code urn:li:person:…}), the channel's account. LinkedIn shows a
 * preview only for the article card sent with the post, so the connector sends it (source, title, description; no
 * thumbnail).
 */
@Singleton
public class LinkedInConnector implements Connector {

    static final String ACCESS_TOKEN = "accessToken";
    static final String VERSION_KEY = "gazette.social.linkedin.version";
    static final String RECONNECT = "LinkedIn access tokens last about 60 days: reconnect the channel to get a new one.";

    private static final Pattern AUTHOR = Pattern.compile("urn:li:(organization|person):([A-Za-z0-9_-]{1,64})");

    private final String apiUrl;
    private final String version;
    private final SocialHttp http;

    @Inject
    LinkedInConnector(LinkedInConfig config, SocialHttp http) {
        this(config.apiUrl(), config.version(), http);
    }

    /**
     * @param apiUrl the API base URL, e.g. {@code https://api.linkedin.com}
     * @param version the {@code LinkedIn-Version} header value, {@code yyyyMM}
     */
    public LinkedInConnector(String apiUrl, String version, SocialHttp http) {
        this.apiUrl = Text.withoutTrailingSlash(apiUrl);
        this.version = version;
        this.http = http;
    }

    @Override
    public Network network() {
        return Network.LINKEDIN;
    }

    @Override
    public String label() {
        return "LinkedIn";
    }

    @Override
    public Optional<String> accountHint() {
        return Optional.of("The author: urn:li:organization:<id> for a page, or urn:li:person:<id> for a member.");
    }

    @Override
    public List<CredentialField> credentialFields() {
        return List.of(new CredentialField(ACCESS_TOKEN, true,
                "OAuth 2.0 access token (3-legged) of the LinkedIn app. To post as an organization: scope "
                        + "w_organization_social (Community Management API; the member must be an ADMINISTRATOR, "
                        + "DIRECT_SPONSORED_CONTENT_POSTER or CONTENT_ADMIN of the page), plus rw_organization_admin for "
                        + "\"verify\". To post as a member: w_member_social (Share on LinkedIn), plus openid and profile "
                        + "for \"verify\". Tokens last about 60 days."));
    }

    /**
     * 3,000 characters for {@code commentary}, counted on the plain text before little-text escaping (the escaping
     * backslashes are assumed not to count; LinkedIn does not say). UTF-16 units, which never under-count.
     */
    @Override
    public TextRules textRules(ChannelAccess channel) {
        return TextRules.utf16(3000);
    }

    @Override
    public boolean sendsCard() {
        return true;
    }

    @Override
    public Verification verify(ChannelAccess channel) {
        Matcher author = author(channel.account());
        if (author == null) {
            return Verification.failed(authorProblem(channel.account()));
        }
        String token;
        try {
            token = channel.credential(ACCESS_TOKEN);
        } catch (IllegalStateException e) {
            return Verification.refused(e.getMessage());
        }
        boolean organization = "organization".equals(author.group(1));
        // Organizations: GET /rest/organizations/{id} (localizedName). Members: the OpenID Connect userinfo (name),
        // which needs the openid and profile scopes; a token with only w_member_social cannot read it.
        URI uri = URI.create(organization ? apiUrl + "/rest/organizations/" + author.group(2) : apiUrl + "/v2/userinfo");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().header("Authorization", "Bearer " + token);
        if (organization) {
            request.header("LinkedIn-Version", version).header("X-Restli-Protocol-Version", "2.0.0");
        }
        SocialHttp.Response response;
        try {
            response = http.send(request);
        } catch (SocialHttp.NotSent | SocialHttp.OutcomeUnknown e) {
            return Verification.failed(e.getMessage());
        }
        if (response.ok()) {
            String name = response.json().path(organization ? "localizedName" : "name").asText("");
            return name.isEmpty() ? Verification.failed("LinkedIn answered without a name") : Verification.ok(name);
        }
        if (response.status() == 401) {
            return Verification.refused(reason(response) + " — " + RECONNECT);
        }
        if (response.status() == 426) {
            return Verification.failed(versionProblem(response));
        }
        return Verification.failed(reason(response));
    }

    @Override
    public PublishResult publish(ChannelAccess channel, Post post) {
        if (author(channel.account()) == null) {
            return new PublishResult.Rejected(authorProblem(channel.account()));
        }
        String token;
        try {
            token = channel.credential(ACCESS_TOKEN);
        } catch (IllegalStateException e) {
            return new PublishResult.AuthExpired(e.getMessage());
        }
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(apiUrl + "/rest/posts"))
                    .header("Authorization", "Bearer " + token)
                    .header("LinkedIn-Version", version)
                    .header("X-Restli-Protocol-Version", "2.0.0")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(SocialHttp.json().writeValueAsString(body(channel, post))));
        } catch (JsonProcessingException e) {
            return new PublishResult.Rejected("Could not encode the post: " + e.getMessage());
        }
        return http.publish(request, this::outcome);
    }

    /** The Posts API body for an article post. */
    ObjectNode body(ChannelAccess channel, Post post) {
        ObjectNode body = SocialHttp.json().createObjectNode();
        body.put("author", channel.account());
        body.put("commentary", LittleText.escape(post.text()));
        body.put("visibility", "PUBLIC");
        ObjectNode distribution = body.putObject("distribution");
        distribution.put("feedDistribution", "MAIN_FEED");
        distribution.putArray("targetEntities");
        distribution.putArray("thirdPartyDistributionChannels");
        if (post.link() != null && !post.link().isBlank()) {
            LinkCard card = post.card();
            String title = card != null && card.title() != null ? card.title() : post.title();
            String description = card != null && card.description() != null ? card.description() : post.summary();
            ObjectNode article = body.putObject("content").putObject("article");
            article.put("source", post.link());
            if (title != null) {
                article.put("title", title);
            }
            if (description != null && !description.isBlank()) {
                article.put("description", description);
            }
        }
        body.put("lifecycleState", "PUBLISHED");
        body.put("isReshareDisabledByAuthor", false);
        return body;
    }

    private PublishResult outcome(SocialHttp.Response response) {
        int status = response.status();
        if (response.ok()) {
            // 201 with an empty body; the new post's URN (urn:li:share:… or urn:li:ugcPost:…) is in x-restli-id.
            String urn = response.header("x-restli-id").map(String::trim).orElse("");
            return urn.isEmpty() ? new PublishResult.Published(null, null)
                    : new PublishResult.Published(urn, "https://www.linkedin.com/feed/update/" + urn + "/");
        }
        if (status == 401) {
            return new PublishResult.AuthExpired(reason(response) + " — " + RECONNECT);
        }
        if (status == 426) {
            return new PublishResult.Rejected(versionProblem(response));
        }
        if (status == 429) {
            return new PublishResult.Retryable(notBefore(response), true, reason(response));
        }
        if (status >= 500) {
            return new PublishResult.Retryable(null, false, reason(response));
        }
        // 422 "Content is a duplicate of urn:li:share:…" (DUPLICATE_POST), 400 invalid fields, 403 missing permission.
        return new PublishResult.Rejected(reason(response));
    }

    /**
     * LinkedIn's daily limits "reset at midnight UTC every day" and its 429 carries no rate-limit headers
     * (https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/rate-limits). A {@code Retry-After} is
     * honoured if one ever comes; otherwise the channel waits for the next midnight UTC.
     */
    Instant notBefore(SocialHttp.Response response) {
        Instant now = http.clock().instant();
        return RateLimits.retryAfter(response, now).orElseGet(
                () -> LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    private String versionProblem(SocialHttp.Response response) {
        return "The configured LinkedIn-Version " + version + " is no longer served: set " + VERSION_KEY
                + " to a current yyyyMM version. LinkedIn said: " + reason(response);
    }

    /** LinkedIn's words: {@code message} of its error body, e.g. {@code {"status":422,"message":"…"}}. */
    static String reason(SocialHttp.Response response) {
        String message = response.json().path("message").asText("");
        return message.isBlank() ? "HTTP " + response.status() : message;
    }

    private static Matcher author(String account) {
        if (account == null) {
            return null;
        }
        Matcher m = AUTHOR.matcher(account);
        return m.matches() ? m : null;
    }

    @Override
    public java.util.Map<String, String> problems(String account, java.util.Map<String, String> credentials) {
        return author(account) != null ? java.util.Map.of() : java.util.Map.of("account", authorProblem(account));
    }

    private static String authorProblem(String account) {
        return "The channel's account must be a LinkedIn author URN, urn:li:organization:<id> or urn:li:person:<id>, "
                + "not \"" + account + "\"";
    }
}
