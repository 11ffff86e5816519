package dev.gazette.admin.web;

import jakarta.inject.Singleton;

import dev.gazette.fediverse.Federation;
import dev.gazette.fediverse.Followers;

/**
 * The publication's fediverse account as the channels list shows it, next to the social channels: it is not a row
 * of {@code channel} (there are no credentials to give; federation is turned on in the configuration), so it is
 * described here.
 */
@Singleton
public class FediverseChannel {

    /** The account when federation is on: its handle and how many follow it. */
    public record Row(boolean enabled, String handle, long followers) {

        static final Row OFF = new Row(false, null, 0);
    }

    private final Federation federation;
    private final Followers followers;

    FediverseChannel(Federation federation, Followers followers) {
        this.federation = federation;
        this.followers = followers;
    }

    Row row() {
        return federation.enabled() ? new Row(true, FediversePages.handle(federation), followers.count()) : Row.OFF;
    }
}
