package dev.gazette.social.connector.slack;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.node.ObjectNode;

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
 * Posts to a Slack channel through an incoming webhook. Slack answers a plain-text body: {@code ok}, or an error code
 * such as {@code no_service} with an HTTP status. A webhook gives no message id, so a published post has neither id
 * nor URL. Slack unfurls the link itself from the page's meta tags ({@code unfurl_links}).
 * <p>
 * The webhook URL is the secret: it is never part of a returned reason.
 */
@Singleton
public class SlackConnector implements Connector {

    static final String WEBHOOK_URL = "webhookUrl";
    /**
     * Slack truncates {@code text} beyond 40,000 characters but recommends at most 4,000: longer messages fold behind
     * "Show more", and even with every character escaped 4,000 stays far below the hard cap.
     */
    static final int MAX_TEXT = 4000;

    /** The path after the prefix: workspace, bot and secret parts. */
    private static final Pattern WEBHOOK_PATH = Pattern.compile("[A-Za-z0-9]+/[A-Za-z0-9]+/[A-Za-z0-9]+/?");
    private static final Pattern URL = Pattern.compile("https?://[^\\s<>|]+");

    /**
     * Error codes that every later post through this webhook would get too: an editor has to create a new webhook
     * or lift a workspace restriction. (Slack's "Handling errors" list for incoming webhooks.)
     */
    private static final Set<String> CHANNEL_CODES = Set.of("no_service", "no_service_id", "no_team", "team_disabled",
            "invalid_token", "channel_not_found", "channel_is_archived", "action_prohibited",
            "posting_to_general_channel_denied");
    private static final Map<String, String> EXPLANATIONS = Map.ofEntries(
            Map.entry("no_service", "the webhook is disabled, removed or invalid"),
            Map.entry("no_service_id", "the webhook URL is incomplete"),
            Map.entry("no_team", "the webhook URL names no existing workspace"),
            Map.entry("team_disabled", "the Slack workspace is disabled"),
            Map.entry("invalid_token", "the webhook's token is invalid or revoked"),
            Map.entry("channel_not_found", "the webhook's channel no longer exists"),
            Map.entry("channel_is_archived", "the webhook's channel is archived"),
            Map.entry("action_prohibited", "a workspace setting forbids this webhook to post"),
            Map.entry("posting_to_general_channel_denied", "only admins may post to this channel"),
            Map.entry("invalid_payload", "Slack could not read the message"),
            Map.entry("rollup_error", "an error inside Slack"));

    private final List<String> prefixes;
    private final SocialHttp http;

    @Inject
    SlackConnector(SlackConfig config, SocialHttp http) {
        this(config.webhookUrlPrefixes(), http);
    }

    /**
     * @param webhookUrlPrefixes what webhook URLs must start with, e.g. {@code https://hooks.slack.com/services/}
     */
    public SlackConnector(List<String> webhookUrlPrefixes, SocialHttp http) {
        this.prefixes = List.copyOf(webhookUrlPrefixes);
        this.http = http;
    }

    @Override
    public Network network() {
        return Network.SLACK;
    }

    @Override
    public String label() {
        return "Slack";
    }

    @Override
    public List<CredentialField> credentialFields() {
        return List.of(new CredentialField(WEBHOOK_URL, true,
                "Incoming webhook URL (https://hooks.slack.com/services/T…/B…/…): create a Slack app at"
                        + " api.slack.com/apps, turn on Incoming Webhooks, then Add New Webhook to Workspace and pick"
                        + " the channel. The URL itself is the secret."));
    }

    @Override
    public TextRules textRules(ChannelAccess channel) {
        return TextRules.utf16(MAX_TEXT);
    }

    /**
     * Incoming webhooks have no read-only call. An empty JSON object is no message: Slack refuses it with 400
     * ({@code no_text} or similar) when the webhook is alive and nothing is posted, while a removed or revoked webhook
     * answers {@code no_service} / {@code invalid_token} / {@code channel_is_archived} first.
     */
    @Override
    public Verification verify(ChannelAccess channel) {
        String url = webhookUrl(channel.credentials().get(WEBHOOK_URL));
        if (url == null) {
            return Verification.refused(badUrlMessage());
        }
        SocialHttp.Response response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")));
        } catch (SocialHttp.NotSent | SocialHttp.OutcomeUnknown e) {
            return Verification.failed(redact(e.getMessage(), url));
        }
        String code = code(response);
        String reason = redact(reason(response), url);
        if (response.ok() || (response.status() == 400 && !CHANNEL_CODES.contains(code))) {
            return Verification.ok("incoming webhook (live: Slack answered an empty test message with \""
                    + (response.ok() ? "ok" : code) + "\"; nothing was posted)");
        }
        if (response.status() == 429 || response.status() >= 500) {
            return Verification.failed(reason);
        }
        return Verification.refused(reason);
    }

    @Override
    public PublishResult publish(ChannelAccess channel, Post post) {
        String url = webhookUrl(channel.credentials().get(WEBHOOK_URL));
        if (url == null) {
            return new PublishResult.AuthExpired(badUrlMessage());
        }
        ObjectNode body = SocialHttp.json().createObjectNode();
        body.put("text", render(post.text()));
        body.put("unfurl_links", true);
        body.put("unfurl_media", true);
        SocialHttp.Response response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        } catch (SocialHttp.NotSent e) {
            String reason = redact(e.getMessage(), url);
            return e.permanent() ? new PublishResult.Rejected(reason)
                    : new PublishResult.Retryable(null, false, reason);
        } catch (SocialHttp.OutcomeUnknown e) {
            return new PublishResult.UnknownOutcome(redact(e.getMessage(), url));
        }
        if (response.ok()) {
            // Slack's webhooks say only "ok": there is no message id or permalink to record.
            return new PublishResult.Published(null, null);
        }
        int status = response.status();
        String reason = redact(reason(response), url);
        if (status == 429) {
            return new PublishResult.Retryable(RateLimits.retryAfter(response, http.clock().instant()).orElse(null),
                    true, reason);
        }
        if (status >= 500) {
            return new PublishResult.Retryable(null, false, reason);
        }
        if (status == 401 || status == 403 || status == 404 || status == 410
                || CHANNEL_CODES.contains(code(response))) {
            return new PublishResult.AuthExpired(reason);
        }
        return new PublishResult.Rejected(reason);
    }

    /**
     * The text as sent: Slack's control characters {@code & < >} escaped as HTML entities, and each link wrapped in
     * {@code <…>}, Slack's explicit link syntax (inside it too, {@code &} is written {@code &amp;}, as Slack itself
     * stores links).
     */
    static String render(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        Matcher m = URL.matcher(text);
        int last = 0;
        while (m.find()) {
            String url = trimTrailingPunctuation(m.group());
            out.append(escape(text.substring(last, m.start()))).append('<').append(escape(url)).append('>');
            last = m.start() + url.length();
        }
        return out.append(escape(text.substring(last))).toString();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String trimTrailingPunctuation(String url) {
        String u = url;
        while (!u.isEmpty()) {
            char c = u.charAt(u.length() - 1);
            boolean unbalancedParen = c == ')' && u.chars().filter(x -> x == '(').count()
                    < u.chars().filter(x -> x == ')').count();
            if (".,;:!?'\"".indexOf(c) >= 0 || unbalancedParen) {
                u = u.substring(0, u.length() - 1);
            } else {
                break;
            }
        }
        return u;
    }

    /** The error code Slack put in the body ({@code no_service}), or empty. */
    private static String code(SocialHttp.Response response) {
        String body = response.body() == null ? "" : response.body().strip();
        return body.matches("[a-z_]{2,64}") ? body : "";
    }

    /** Slack's code with a short explanation for editors, or the body's start, or the status. */
    private static String reason(SocialHttp.Response response) {
        String code = code(response);
        if (!code.isEmpty()) {
            String explanation = EXPLANATIONS.get(code);
            return explanation == null ? code : code + " (" + explanation + ")";
        }
        String body = response.body() == null ? "" : response.body().strip();
        return body.isEmpty() || body.startsWith("<") ? "HTTP " + response.status()
                : Text.cut(body, 300);
    }

    @Override
    public java.util.Map<String, String> problems(String account, java.util.Map<String, String> credentials) {
        String url = credentials.get(WEBHOOK_URL);
        return url == null || webhookUrl(url) != null ? java.util.Map.of()
                : java.util.Map.of("credentials." + WEBHOOK_URL, badUrlMessage());
    }

    private String webhookUrl(String raw) {
        if (raw == null) {
            return null;
        }
        String url = raw.strip();
        for (String prefix : prefixes) {
            if (url.regionMatches(true, 0, prefix, 0, prefix.length())
                    && WEBHOOK_PATH.matcher(url.substring(prefix.length())).matches()) {
                return url;
            }
        }
        return null;
    }

    private String badUrlMessage() {
        return "The webhook URL is missing or not a Slack incoming-webhook URL ("
                + (prefixes.isEmpty() ? "https://hooks.slack.com/services/" : prefixes.get(0))
                + "T…/B…/…); copy it again from the Slack app's Incoming Webhooks page";
    }

    /** Removes the webhook's secret path from a message. */
    private static String redact(String message, String url) {
        if (message == null) {
            return "";
        }
        String secret = url.substring(url.lastIndexOf('/', url.length() - 2) + 1);
        return message.replace(url, "<webhook URL>").replace(secret, "<secret>");
    }
}
