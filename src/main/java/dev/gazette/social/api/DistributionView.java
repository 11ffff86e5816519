package dev.gazette.social.api;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.gazette.social.Distribution;
import dev.gazette.social.DistributionKind;
import dev.gazette.social.DistributionStatus;

/**
 * A post in the distribution ledger.
 */
public record DistributionView(long id, long channelId, DistributionKind kind, Long articleId, Long issueId,
        DistributionStatus status, Instant notBefore, int attempts,
        @Schema(description = "The text sent (fixed at the first attempt)") String text, Long linkId,
        String externalId, String externalUrl,
        @Schema(description = "The network's own message for the last failure") String error, Instant publishedAt,
        Instant createdAt, Instant updatedAt) {

    static DistributionView of(Distribution d) {
        return new DistributionView(d.id, d.channelId, d.kind, d.articleId, d.issueId, d.status, d.notBefore, d.attempts,
                d.postText, d.linkId, d.externalId, d.externalUrl, d.error, d.publishedAt, d.createdAt, d.updatedAt);
    }
}
