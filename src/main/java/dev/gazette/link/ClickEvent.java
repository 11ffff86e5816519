package dev.gazette.link;

import java.time.Instant;

/**
 * A redirect to be counted: a click by a person (with the visitor's hash) or a preview fetched by a bot.
 */
public record ClickEvent(long linkId, boolean preview, byte[] visitorHash, Instant at) {

    public static ClickEvent click(long linkId, byte[] visitorHash, Instant at) {
        return new ClickEvent(linkId, false, visitorHash, at);
    }

    public static ClickEvent preview(long linkId, Instant at) {
        return new ClickEvent(linkId, true, null, at);
    }
}
