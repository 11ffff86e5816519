package dev.gazette.admin;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The first administrator, created on first start when there is none.
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
}
