package dev.gazette.lifecycle.reengage;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Settings of re-engagement that are not the editor's policy. {@link SunsetJob}'s schedule reads the key through its
 * own expression (with the same default), as a schedule is set up before mappings are.
 */
@ConfigMapping(prefix = "gazette.reengagement")
public interface ReengagementConfig {

    /** How often readers who did not answer the re-engagement mail within the grace days are unsubscribed. */
    @WithDefault("10m")
    Duration sunsetInterval();
}
