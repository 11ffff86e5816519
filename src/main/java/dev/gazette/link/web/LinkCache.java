package dev.gazette.link.web;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import dev.gazette.link.LinksConfig;
import dev.gazette.link.TrackedLinkService;
import dev.gazette.link.TrackedLinkService.Target;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Codes the redirect has seen, with where they lead, so that a redirect is answered from memory. A miss loads from the
 * database on a worker thread; concurrent requests for the same code wait for that one load. Unknown codes are
 * remembered for {@code gazette.links.negative-cache-ttl}, so a flood of made-up codes does not reach the database.
 */
@Singleton
public class LinkCache {

    /** Links never change once created; the expiry only lets unused entries go. */
    private static final Duration KNOWN_TTL = Duration.ofHours(6);

    private final AsyncLoadingCache<String, Optional<Target>> cache;

    LinkCache(TrackedLinkService links, LinksConfig config) {
        Duration unknownTtl = config.negativeCacheTtl();
        cache = Caffeine.newBuilder()
                .maximumSize(config.cacheSize())
                .expireAfter(Expiry.<String, Optional<Target>> creating((code, target) -> target.isPresent() ? KNOWN_TTL : unknownTtl))
                .executor(Infrastructure.getDefaultWorkerPool())
                .buildAsync((code, executor) -> CompletableFuture.supplyAsync(() -> links.findTarget(code), executor));
    }

    /** Completes at once for a cached code; otherwise when the database has answered. */
    public CompletableFuture<Optional<Target>> get(String code) {
        return cache.get(code);
    }

    public void clear() {
        cache.synchronous().invalidateAll();
    }
}
