package dev.gazette.admin;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The first administrator, created on first start when there is none, and the editor UI's sessions.
 */
@ConfigMapping(prefix = "gazette.admin")
public interface AdminConfig {

    /** Whether to create the first administrator at start-up when none exists. */
    @WithDefault("true")
    boolean bootstrap();

    /** User name of the first administrator. */
    @WithDefault("admin")
    String username();

    /** Password of the first administrator (at least 12 characters); when unset, one is generated and printed once. */
    Optional<String> password();

    /** Editor UI sessions end after this much inactivity (and at logout, a password change or the user's removal). */
    @WithDefault("PT2H")
    Duration sessionTimeout();
}
