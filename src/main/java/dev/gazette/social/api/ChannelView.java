package dev.gazette.social.api;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.gazette.social.Channel;
import dev.gazette.social.ChannelStatus;
import dev.gazette.social.Network;

/**
 * A channel as the API shows it: which credentials are set, never their values.
 */
public record ChannelView(long id, Network network, String name, String baseUrl, String account,
        @Schema(description = "The account the credentials belong to, as the last verification found") String accountName,
        ChannelStatus status, Instant pausedUntil,
        @Schema(description = "Why the channel is paused or needs re-authorisation, in the network's words") String statusReason,
        @Schema(description = "Names of the credentials stored (values are write-only)") Set<String> credentials,
        Instant verifiedAt, int maxCharacters, String template, boolean autoPost, boolean allTopics, List<String> topics,
        int delayMinutes, String postFrom, String postUntil, String timeZone, boolean announceDigests, Instant createdAt,
        Instant updatedAt) {

    static ChannelView of(Channel c, Set<String> credentialNames) {
        return new ChannelView(c.id, c.network, c.name, c.baseUrl, c.account, c.accountName, c.status, c.pausedUntil,
                c.statusReason, credentialNames, c.verifiedAt, c.maxCharacters, c.template, c.autoPost, c.allTopics,
                c.topics.stream().map(t -> t.slug).toList(), c.delayMinutes,
                c.postFrom == null ? null : c.postFrom.toString(), c.postUntil == null ? null : c.postUntil.toString(),
                c.timeZone, c.announceDigests, c.createdAt, c.updatedAt);
    }
}
