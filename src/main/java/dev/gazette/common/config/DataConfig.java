package dev.gazette.common.config;

import java.nio.file.Path;
import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where the zero-setup run keeps its state. Also read before start-up by {@link StartupConfig}.
 */
@ConfigMapping(prefix = "gazette.data")
public interface DataConfig {

    /** Directory for the embedded database ({@code pg/}), the mail outbox ({@code outbox/}) and generated secrets. */
    @WithDefault("data")
    Path dir();

    /** Port of the embedded PostgreSQL; 0 picks a free one at each start. */
    @WithDefault("0")
    int embeddedPort();

    /** How long start-up waits for an external database to accept connections. */
    @WithDefault("30s")
    Duration connectTimeout();
}
