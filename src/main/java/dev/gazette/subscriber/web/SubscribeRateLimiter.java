package dev.gazette.subscriber.web;

import java.time.Duration;

import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.gazette.subscriber.SubscribersConfig;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

/**
 * Limits subscribe attempts per visitor and per address (token buckets, refilled hourly), so the form cannot be used
 * to flood someone's inbox or probe addresses. Buckets live in this instance's memory.
 */
@Singleton
public class SubscribeRateLimiter {

    private final SubscribersConfig config;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().maximumSize(200_000)
            .expireAfterAccess(Duration.ofHours(2)).build();

    SubscribeRateLimiter(SubscribersConfig config) {
        this.config = config;
    }

    /** Takes one attempt for both keys; false when either is used up. */
    public boolean tryAcquire(String visitorHash, String emailKey) {
        Bucket visitor = buckets.get("ip:" + visitorHash, k -> bucket(config.rateLimitPerIp()));
        Bucket address = buckets.get("email:" + emailKey, k -> bucket(config.rateLimitPerAddress()));
        if (!visitor.tryConsume(1)) {
            return false;
        }
        return address.tryConsume(1);
    }

    public void reset() {
        buckets.invalidateAll();
    }

    private static Bucket bucket(int perHour) {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(perHour).refillGreedy(perHour, Duration.ofHours(1)).build())
                .build();
    }
}
