package dev.gazette.social.connector.discord;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gazette.common.Text;
import dev.gazette.social.Network;
import dev.gazette.social.spi.ChannelAccess;
import dev.gazette.social.spi.Connector;
import dev.gazette.social.spi.CredentialField;
import dev.gazette.social.spi.Graphemes;
import dev.gazette.social.spi.LinkCard;
import dev.gazette.social.spi.Post;
import dev.gazette.social.spi.PublishResult;
import dev.gazette.social.spi.RateLimits;
import dev.gazette.social.spi.SocialHttp;
import dev.gazette.social.spi.TextRules;
import dev.gazette.social.spi.Verification;

/**
 * Posts to a Discord channel through an incoming webhook ("Execute Webhook" with {@code ?wait=true}, so Discord
 * answers with the created message). The text goes in {@code content} with Discord's markdown escaped and the link
 * wrapped in {@code <…>} so that Discord does not add its own preview next to the embed this connector sends as the
 * card. Mentions are switched off ({@code allowed_mentions.parse = []}): an "@everyone" in a title pings nobody.
 * <p>
 * The webhook URL is the secret: it is never part of a returned reason.
 */
@Singleton
public class DiscordConnector implements Connector {

    static final String WEBHOOK_URL = "webhookUrl";
    /** Discord's limit for a message's content. */
    static final int MAX_CONTENT = 2000;
    static final int MAX_EMBED_TITLE = 256;
    static final int MAX_EMBED_DESCRIPTION = 4096;

    /** What follows an API base URL: an optional version, the webhook's id and token, an optional query. */
    private static final Pattern WEBHOOK_PATH = Pattern.compile(
            "/(?:v\\d+/)?webhooks/(\\d+)/([A-Za-z0-9_.-]+)/?(?:\\?([A-Za-z0-9_=&.%-]*))?");
    /** A URL in the text: http(s) up to whitespace or an angle bracket. */
    private static final Pattern URL = Pattern.compile("https?://[^\\s<>]+");
    /** Characters that start markdown anywhere in a line. */
    private static final String INLINE_MARKDOWN = "\\*_~`|[]<";

    private final int apiVersion;
    private final List<String> apiUrls;
    private final SocialHttp http;

    @Inject
    DiscordConnector(DiscordConfig config, SocialHttp http) {
        this(config.apiVersion(), config.apiUrls(), http);
    }

    /**
     * @param apiVersion the API version put into webhook URLs
     * @param apiUrls the API base URLs webhook URLs may start with, e.g. {@code https://discord.com/api}
     */
    public DiscordConnector(int apiVersion, List<String> apiUrls, SocialHttp http) {
        this.apiVersion = apiVersion;
        this.apiUrls = apiUrls.stream().map(Text::withoutTrailingSlash).toList();
        this.http = http;
    }

    @Override
    public Network network() {
        return Network.DISCORD;
    }

    @Override
    public String label() {
        return "Discord";
    }

    @Override
    public List<CredentialField> credentialFields() {
        return List.of(new CredentialField(WEBHOOK_URL, true,
                "Webhook URL from Discord: Server Settings → Integrations → Webhooks → New Webhook, pick the channel,"
                        + " then Copy Webhook URL (https://discord.com/api/webhooks/<id>/<token>). Needs the"
                        + " Manage Webhooks permission; the URL itself is the secret."));
    }

    @Override
    public TextRules textRules(ChannelAccess channel) {
        // Counts what is sent: markdown escapes and the <…> around links take room in Discord's 2,000 too.
        return new TextRules(MAX_CONTENT, "characters", text -> render(text).length());
    }

    @Override
    public boolean sendsCard() {
        return true;
    }

    @Override
    public Verification verify(ChannelAccess channel) {
        String raw = channel.credentials().get(WEBHOOK_URL);
        Webhook webhook = webhook(raw);
        if (webhook == null) {
            return Verification.refused(badUrlMessage());
        }
        SocialHttp.Response response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(webhook.base())).GET());
        } catch (SocialHttp.NotSent | SocialHttp.OutcomeUnknown e) {
            return Verification.failed(webhook.redact(e.getMessage()));
        }
        if (response.ok()) {
            String name = response.json().path("name").asText("");
            return Verification.ok(name.isBlank() ? "webhook " + webhook.id() : name);
        }
        String reason = webhook.redact(errorText(response));
        int status = response.status();
        return status == 401 || status == 403 || status == 404 ? Verification.refused(reason)
                : Verification.failed(reason);
    }

    @Override
    public PublishResult publish(ChannelAccess channel, Post post) {
        Webhook webhook = webhook(channel.credentials().get(WEBHOOK_URL));
        if (webhook == null) {
            return new PublishResult.AuthExpired(badUrlMessage());
        }
        ObjectNode body = SocialHttp.json().createObjectNode();
        ObjectNode embed = embed(post);
        body.put("content", embed == null ? escapeMarkdown(post.text()) : render(post.text()));
        if (embed != null) {
            body.putArray("embeds").add(embed);
        }
        body.putObject("allowed_mentions").putArray("parse");
        URI uri = URI.create(webhook.base() + "?wait=true" + (webhook.query().isEmpty() ? "" : "&" + webhook.query()));
        SocialHttp.Response response;
        try {
            response = http.send(HttpRequest.newBuilder(uri)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        } catch (SocialHttp.NotSent e) {
            String reason = webhook.redact(e.getMessage());
            return e.permanent() ? new PublishResult.Rejected(reason)
                    : new PublishResult.Retryable(null, false, reason);
        } catch (SocialHttp.OutcomeUnknown e) {
            return new PublishResult.UnknownOutcome(webhook.redact(e.getMessage()));
        }
        int status = response.status();
        if (response.ok()) {
            // 200 with the message (wait=true); a bare 204 would mean Discord took it without saying where.
            JsonNode message = response.json();
            String id = message.hasNonNull("id") ? message.get("id").asText() : null;
            String guild = message.path("guild_id").asText("");
            String channelId = message.path("channel_id").asText("");
            String url = id != null && !guild.isBlank() && !channelId.isBlank()
                    ? "https://discord.com/channels/" + guild + "/" + channelId + "/" + id
                    : null;
            return new PublishResult.Published(id, url);
        }
        String reason = webhook.redact(errorText(response));
        if (status == 429) {
            return new PublishResult.Retryable(retryAt(response), true, reason);
        }
        if (status == 401 || status == 403 || status == 404) {
            // 404 "Unknown Webhook" (10015): the webhook was deleted; 401 "Invalid Webhook Token" (50027).
            return new PublishResult.AuthExpired(reason);
        }
        if (status >= 500) {
            return new PublishResult.Retryable(null, false, reason);
        }
        return new PublishResult.Rejected(reason);
    }

    /**
     * When the rate limit resets: the body's {@code retry_after} (seconds with decimals), else
     * {@code X-RateLimit-Reset-After}, else {@code Retry-After}. A Cloudflare ban answers 429 without JSON.
     */
    private Instant retryAt(SocialHttp.Response response) {
        Instant now = http.clock().instant();
        JsonNode retryAfter = response.json().path("retry_after");
        if (retryAfter.isNumber()) {
            return RateLimits.afterSeconds(now, retryAfter.asDouble());
        }
        String resetAfter = response.header("X-RateLimit-Reset-After").orElse("").strip();
        if (!resetAfter.isEmpty()) {
            try {
                return RateLimits.afterSeconds(now, Double.parseDouble(resetAfter));
            } catch (NumberFormatException e) {
                // fall through to Retry-After
            }
        }
        return RateLimits.retryAfter(response, now).orElse(null);
    }

    /** The card as a rich embed; null when there is nothing to show. */
    static ObjectNode embed(Post post) {
        LinkCard card = post.card();
        String title = firstNonBlank(card == null ? null : card.title(), post.title());
        String description = firstNonBlank(card == null ? null : card.description(), post.summary());
        String url = firstNonBlank(card == null ? null : card.url(), post.link());
        if (title == null && description == null) {
            return null;
        }
        ObjectNode embed = SocialHttp.json().createObjectNode();
        if (title != null) {
            embed.put("title", fit(title, MAX_EMBED_TITLE, DiscordConnector::escapeMarkdown));
        }
        if (description != null) {
            embed.put("description", fit(description, MAX_EMBED_DESCRIPTION, DiscordConnector::escapeMarkdown));
        }
        if (url != null) {
            embed.put("url", url);
        }
        String image = card == null ? null : firstNonBlank(card.imageUrl());
        if (image != null) {
            embed.putObject("image").put("url", image);
        }
        return embed;
    }

    /**
     * The content as sent: markdown characters escaped with a backslash outside links, each link wrapped in
     * {@code <…>} (which keeps it clickable but stops Discord's own preview, the embed being the card).
     */
    static String render(String text) {
        return render(text, true);
    }

    /** Markdown escaped outside links; links left as they are (an escaped {@code _} would break them). */
    static String escapeMarkdown(String text) {
        return render(text, false);
    }

    private static String render(String text, boolean wrapLinks) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        Matcher m = URL.matcher(text);
        int last = 0;
        while (m.find()) {
            String url = trimTrailingPunctuation(m.group());
            escapeMarkdown(text, last, m.start(), out);
            out.append(wrapLinks ? "<" + url + ">" : url);
            last = m.start() + url.length();
        }
        escapeMarkdown(text, last, text.length(), out);
        return out.toString();
    }

    private static void escapeMarkdown(String text, int from, int to, StringBuilder out) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            boolean lineStart = i == 0 || text.charAt(i - 1) == '\n';
            if (INLINE_MARKDOWN.indexOf(c) >= 0 || (lineStart && (c == '#' || c == '>'))) {
                out.append('\\');
            }
            out.append(c);
        }
    }

    /** Sentence punctuation after a URL is not part of it; a closing parenthesis is when the URL opened one. */
    private static String trimTrailingPunctuation(String url) {
        String u = url;
        while (!u.isEmpty()) {
            char c = u.charAt(u.length() - 1);
            boolean unbalancedParen = c == ')' && count(u, '(') < count(u, ')');
            if (".,;:!?'\"".indexOf(c) >= 0 || unbalancedParen) {
                u = u.substring(0, u.length() - 1);
            } else {
                break;
            }
        }
        return u;
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            n += s.charAt(i) == c ? 1 : 0;
        }
        return n;
    }

    /** The longest whole-grapheme prefix (ellipsis when cut) whose rendering fits {@code limit} UTF-16 units. */
    static String fit(String text, int limit, UnaryOperator<String> render) {
        String whole = render.apply(text);
        if (whole.length() <= limit) {
            return whole;
        }
        int low = 0;
        int high = Graphemes.count(text);
        String best = "";
        while (low <= high) {
            int mid = (low + high) >>> 1;
            String candidate = render.apply(Graphemes.truncate(text, mid));
            if (candidate.length() <= limit) {
                best = candidate;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return best;
    }

    /** Discord's {@code message}, with the first field errors of a 50035 "Invalid Form Body". */
    static String errorText(SocialHttp.Response response) {
        JsonNode json = response.json();
        String message = json.path("message").asText("").strip();
        if (message.isEmpty()) {
            String body = response.body() == null ? "" : response.body().strip();
            return body.isEmpty() || body.startsWith("<") ? "HTTP " + response.status()
                    : Text.cut(body, 300);
        }
        List<String> details = new ArrayList<>();
        collectErrors(json.path("errors"), "", details);
        return details.isEmpty() ? message : message + " (" + String.join("; ", details) + ")";
    }

    private static void collectErrors(JsonNode node, String path, List<String> out) {
        if (out.size() >= 3 || !node.isObject()) {
            return;
        }
        JsonNode errors = node.path("_errors");
        if (errors.isArray()) {
            for (JsonNode error : (ArrayNode) errors) {
                out.add((path.isEmpty() ? "" : path + ": ") + error.path("message").asText(""));
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getKey().equals("_errors")) {
                collectErrors(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(), out);
            }
        }
    }

    /** A webhook URL checked against the allowed API URLs and rewritten to the configured API version. */
    record Webhook(String base, String id, String token, String query) {
        String redact(String message) {
            return message == null ? "" : message.replace(token, "<token>");
        }
    }

    @Override
    public java.util.Map<String, String> problems(String account, java.util.Map<String, String> credentials) {
        String url = credentials.get(WEBHOOK_URL);
        return url == null || webhook(url) != null ? java.util.Map.of()
                : java.util.Map.of("credentials." + WEBHOOK_URL, "is not a Discord webhook URL (" + apiUrls.get(0)
                        + "/webhooks/<id>/<token>); copy it from Server Settings → Integrations → Webhooks");
    }

    Webhook webhook(String raw) {
        if (raw == null) {
            return null;
        }
        String url = raw.strip();
        for (String api : apiUrls) {
            if (url.regionMatches(true, 0, api, 0, api.length())) {
                Matcher m = WEBHOOK_PATH.matcher(url.substring(api.length()));
                if (m.matches()) {
                    String query = m.group(3) == null ? "" : withoutWait(m.group(3));
                    return new Webhook(api + "/v" + apiVersion + "/webhooks/" + m.group(1) + "/" + m.group(2),
                            m.group(1), m.group(2), query);
                }
            }
        }
        return null;
    }

    /** Keeps parameters such as {@code thread_id}; {@code wait} is always set by this connector. */
    private static String withoutWait(String query) {
        List<String> kept = new ArrayList<>();
        for (String part : query.split("&")) {
            if (!part.isEmpty() && !part.startsWith("wait=") && !part.equals("wait")) {
                kept.add(part);
            }
        }
        return String.join("&", kept);
    }

    private String badUrlMessage() {
        return "The webhook URL is missing or not a Discord webhook URL ("
                + (apiUrls.isEmpty() ? "https://discord.com/api" : apiUrls.get(0))
                + "/webhooks/<id>/<token>); copy it again from the channel's Integrations → Webhooks";
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }
}
