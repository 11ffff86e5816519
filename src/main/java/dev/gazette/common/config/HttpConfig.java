package dev.gazette.common.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How long a client may take to send a request body, and how many it may send at once ({@code common/BodyReadGuard}).
 */
@ConfigMapping(prefix = "gazette.http")
public interface HttpConfig {

    /** A request body (forms, JSON) must arrive within this time after its headers, or the answer is 408 and the connection closes. */
    @WithDefault("10s")
    Duration bodyTimeout();

    /** The same deadline for the subscriber import uploads, which may carry hundreds of megabytes over a slow line. */
    @WithDefault("1h")
    Duration uploadTimeout();

    /** Bodies one client address may be sending at the same time; beyond it the answer is 429 with Retry-After. */
    @WithDefault("32")
    int maxBodiesPerClient();
}
