package dev.gazette.social;

import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A channel as editors write it; on update, omitted fields keep their value.
 */
public record ChannelInput(
        @Schema(examples = "MASTODON") Network network,
        @Schema(examples = "Mastodon @news@example.social") @Size(min = 1, max = 200) String name,
        @Schema(description = "Mastodon instance, Bluesky PDS (default https://bsky.social) or webhook receiver", examples = "https://example.social")
        @Size(max = 2000) String baseUrl,
        @Schema(description = "Facebook page id, LinkedIn author URN (urn:li:organization:123), Telegram chat id (@channel or -100…)")
        @Size(max = 500) String account,
        @Schema(description = "Write-only: never returned. On update, the fields given replace those stored.", examples = "{\"accessToken\": \"…\"}")
        Map<String, String> credentials,
        @Schema(description = "Qute text template with {title}, {summary}, {link}, {hashtags}; must contain {link}")
        @Size(max = 5000) String template,
        @Schema(description = "Post every published article that matches the topics (default true)") Boolean autoPost,
        @Schema(description = "Topic slugs; empty or omitted posts every topic") List<String> topics,
        @Schema(description = "Minutes to wait after publication") @Min(0) @Max(10080) Integer delayMinutes,
        @Schema(description = "Start of posting hours, HH:mm in timeZone; with postUntil", examples = "08:00")
        @Pattern(regexp = "([01]\\d|2[0-3]):[0-5]\\d", message = "must be a time of day as HH:mm") String postFrom,
        @Schema(description = "End of posting hours, HH:mm in timeZone", examples = "22:00")
        @Pattern(regexp = "([01]\\d|2[0-3]):[0-5]\\d", message = "must be a time of day as HH:mm") String postUntil,
        @Schema(examples = "Europe/Paris") @Size(max = 64) String timeZone,
        @Schema(description = "Also post each digest issue's web copy when it has been sent") Boolean announceDigests,
        @Schema(description = "ACTIVE or DISABLED; ACTIVE also lifts a pause or NEEDS_REAUTH") ChannelStatus status) {
}
