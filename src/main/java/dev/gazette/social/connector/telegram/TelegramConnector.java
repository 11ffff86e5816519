package dev.gazette.social.connector.telegram;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Posts to a Telegram channel (or group) through a bot: {@code sendMessage} with the text in HTML parse mode and the
 * article link as the preview. The channel's account is the chat id ({@code @channelname} or {@code -100…}); the bot
 * must be an administrator of the channel allowed to post.
 * <p>
 * The bot token travels in the URL path ({@code /bot<token>/method}), so every reason this connector returns is
 * scrubbed of it.
 */
@Singleton
public class TelegramConnector implements Connector {

    static final String BOT_TOKEN = "botToken";
    /** The Bot API's limit for a message's text after entity parsing, in UTF-16 code units. */
    static final int MAX_TEXT = 4096;

    /** A token as @BotFather hands it out: the bot's numeric id, a colon, a secret of letters, digits, - and _. */
    private static final Pattern TOKEN = Pattern.compile("\\d+:[A-Za-z0-9_-]+");
    /**
     * 400 answers that every later post to the chat would get too, until an editor fixes the chat id or the bot's
     * rights in the channel.
     */
    private static final Pattern CHAT_SETUP = Pattern.compile(
            "chat not found|administrator rights|not enough rights|bot is not a member|have no rights",
            Pattern.CASE_INSENSITIVE);

    private final String apiUrl;
    private final SocialHttp http;

    @Inject
    TelegramConnector(TelegramConfig config, SocialHttp http) {
        this(config.apiUrl(), http);
    }

    /**
     * @param apiUrl the Bot API base URL, e.g. {@code https://api.telegram.org}
     */
    public TelegramConnector(String apiUrl, SocialHttp http) {
        if (!apiUrl.regionMatches(true, 0, "https://", 0, 8) && !apiUrl.regionMatches(true, 0, "http://", 0, 7)) {
            throw new IllegalArgumentException("gazette.social.telegram.api-url must be an http(s) URL: " + apiUrl);
        }
        this.apiUrl = Text.withoutTrailingSlash(apiUrl);
        this.http = http;
    }

    @Override
    public Network network() {
        return Network.TELEGRAM;
    }

    @Override
    public String label() {
        return "Telegram";
    }

    @Override
    public Optional<String> accountHint() {
        return Optional.of("The channel's @username or its numeric id (-100…).");
    }

    @Override
    public List<CredentialField> credentialFields() {
        return List.of(new CredentialField(BOT_TOKEN, true,
                "Bot token from @BotFather in Telegram (/newbot, or /token for an existing bot), like"
                        + " 123456789:AAH…. Add the bot to the channel as an administrator with the right to post"
                        + " messages; the channel's account is its @username or numeric chat id (-100…)."));
    }

    @Override
    public TextRules textRules(ChannelAccess channel) {
        // Telegram counts the text after entity parsing: the escapes added for HTML mode do not count.
        return TextRules.utf16(MAX_TEXT);
    }

    @Override
    public Verification verify(ChannelAccess channel) {
        String token = channel.credentials().get(BOT_TOKEN);
        if (!validToken(token)) {
            return Verification.refused(badTokenMessage());
        }
        Answer me;
        try {
            me = answer(http.send(HttpRequest.newBuilder(method(token, "getMe")).GET()));
        } catch (SocialHttp.NotSent | SocialHttp.OutcomeUnknown e) {
            return Verification.failed(redact(e.getMessage(), token));
        }
        if (!me.ok()) {
            return me.code() == 401 || me.code() == 404 ? Verification.refused(redact(me.description(), token))
                    : Verification.failed(redact(me.description(), token));
        }
        String bot = "@" + me.result().path("username").asText("");
        String chat = channel.account();
        if (chat == null || chat.isBlank()) {
            return Verification.refused("No chat id: set the channel's account to the channel's @username or its"
                    + " numeric id (-100…); " + bot + " must be an administrator there");
        }
        Answer target;
        try {
            URI uri = URI.create(method(token, "getChat") + "?chat_id="
                    + URLEncoder.encode(chat.strip(), StandardCharsets.UTF_8));
            target = answer(http.send(HttpRequest.newBuilder(uri).GET()));
        } catch (SocialHttp.NotSent | SocialHttp.OutcomeUnknown e) {
            return Verification.failed(redact(e.getMessage(), token));
        }
        if (!target.ok()) {
            return target.code() == 429 || target.code() >= 500
                    ? Verification.failed(redact(target.description(), token))
                    : Verification.refused(redact(target.description(), token));
        }
        return Verification.ok(bot);
    }

    @Override
    public PublishResult publish(ChannelAccess channel, Post post) {
        String token = channel.credentials().get(BOT_TOKEN);
        if (!validToken(token)) {
            return new PublishResult.AuthExpired(badTokenMessage());
        }
        String chat = channel.account();
        if (chat == null || chat.isBlank()) {
            return new PublishResult.AuthExpired(
                    "No chat id: set the channel's account to the channel's @username or its numeric id (-100…)");
        }
        ObjectNode body = SocialHttp.json().createObjectNode();
        body.put("chat_id", chat.strip());
        body.put("text", escapeHtml(post.text()));
        body.put("parse_mode", "HTML");
        if (post.link() != null && !post.link().isBlank()) {
            ObjectNode preview = body.putObject("link_preview_options");
            preview.put("url", post.link());
            preview.put("prefer_large_media", true);
        }
        SocialHttp.Response response;
        try {
            response = http.send(HttpRequest.newBuilder(method(token, "sendMessage"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        } catch (SocialHttp.NotSent e) {
            String reason = redact(e.getMessage(), token);
            return e.permanent() ? new PublishResult.Rejected(reason)
                    : new PublishResult.Retryable(null, false, reason);
        } catch (SocialHttp.OutcomeUnknown e) {
            return new PublishResult.UnknownOutcome(redact(e.getMessage(), token));
        }
        Answer answer = answer(response);
        if (answer.ok()) {
            JsonNode message = answer.result();
            String id = message.hasNonNull("message_id") ? message.get("message_id").asText() : null;
            return new PublishResult.Published(id, publicUrl(message.path("chat").path("username").asText(""),
                    chat.strip(), id));
        }
        if (response.ok()) {
            // Telegram pairs 2xx with ok: true; anything else came from something in between, and may have posted.
            return new PublishResult.UnknownOutcome("Telegram answered HTTP " + response.status()
                    + " without a readable result; check the channel before posting again");
        }
        return failure(answer, response, token);
    }

    private PublishResult failure(Answer answer, SocialHttp.Response response, String token) {
        String reason = redact(answer.description(), token);
        int code = answer.code();
        if (code == 429) {
            Instant now = http.clock().instant();
            JsonNode retryAfter = answer.parameters().path("retry_after");
            Instant notBefore = retryAfter.isNumber() ? RateLimits.afterSeconds(now, retryAfter.asDouble())
                    : RateLimits.retryAfter(response, now).orElse(null);
            return new PublishResult.Retryable(notBefore, true, reason);
        }
        if (code == 401 || code == 403 || code == 404) {
            // 401: the token was revoked; 404: the token is not a bot's; 403: the bot was removed from the channel.
            return new PublishResult.AuthExpired(reason);
        }
        if (code >= 500) {
            return new PublishResult.Retryable(null, false, reason);
        }
        JsonNode migrated = answer.parameters().path("migrate_to_chat_id");
        if (!migrated.isMissingNode() && !migrated.isNull()) {
            return new PublishResult.AuthExpired(reason + " (the chat's new id is " + migrated.asText() + ")");
        }
        if (CHAT_SETUP.matcher(reason).find()) {
            return new PublishResult.AuthExpired(reason);
        }
        return new PublishResult.Rejected(reason);
    }

    /** The post's public address: only chats with a username have one. */
    static String publicUrl(String chatUsername, String chatId, String messageId) {
        String username = !chatUsername.isBlank() ? chatUsername
                : chatId.startsWith("@") ? chatId.substring(1) : null;
        return username == null || messageId == null ? null : "https://t.me/" + username + "/" + messageId;
    }

    /** The three characters Telegram's HTML mode requires escaped outside tags. */
    static String escapeHtml(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private URI method(String token, String name) {
        return URI.create(apiUrl + "/bot" + token + "/" + name);
    }

    @Override
    public java.util.Map<String, String> problems(String account, java.util.Map<String, String> credentials) {
        java.util.Map<String, String> problems = new java.util.LinkedHashMap<>();
        if (account == null || account.isBlank()) {
            problems.put("account", "is required: the channel's @username or its numeric id (-100…)");
        }
        String token = credentials.get(BOT_TOKEN);
        if (token != null && !validToken(token)) {
            problems.put("credentials." + BOT_TOKEN, badTokenMessage());
        }
        return problems;
    }

    private static boolean validToken(String token) {
        return token != null && TOKEN.matcher(token).matches();
    }

    private static String badTokenMessage() {
        return "The bot token is missing or not in the form @BotFather gives (123456789:AAH…)";
    }

    /** Removes the token from a message: it is part of every request URL. */
    static String redact(String message, String token) {
        if (message == null) {
            return "";
        }
        return token == null || token.isEmpty() ? message : message.replace(token, "<bot token>");
    }

    /** The Bot API's envelope: {@code {ok, result}} or {@code {ok: false, error_code, description, parameters}}. */
    private record Answer(boolean ok, int code, String description, JsonNode result, JsonNode parameters) {
    }

    private static Answer answer(SocialHttp.Response response) {
        JsonNode json = response.json();
        boolean ok = response.ok() && json.path("ok").asBoolean(false);
        int code = json.path("error_code").isInt() ? json.get("error_code").asInt() : response.status();
        String description = json.path("description").asText("");
        if (description.isBlank()) {
            description = ok ? "" : "HTTP " + response.status();
        }
        return new Answer(ok, ok ? response.status() : code, description.strip(), json.path("result"),
                json.path("parameters"));
    }
}
