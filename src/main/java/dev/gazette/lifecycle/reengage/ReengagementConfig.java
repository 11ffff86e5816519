package dev.gazette.lifecycle.reengage;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of re-engagement that are not the editor's policy. */
@ConfigMapping(prefix = "gazette.reengagement")
public interface ReengagementConfig {

    /** How often readers who did not answer the re-engagement mail within the grace days are unsubscribed. */
    @WithDefault("10m")
    Duration sunsetInterval();
}
