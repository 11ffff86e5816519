package dev.gazette.social.spi;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads the rate-limit signals networks send: {@code Retry-After} (seconds or an HTTP date), reset times as epoch
 * seconds ({@code x-rate-limit-reset}) or ISO 8601 ({@code X-RateLimit-Reset} on Mastodon), and seconds given in a
 * JSON body ({@code retry_after}).
 */
public final class RateLimits {

    private RateLimits() {
    }

    /** {@code Retry-After}: delta seconds or an IMF-fixdate; empty if absent or unreadable. */
    public static Optional<Instant> retryAfter(SocialHttp.Response response, Instant now) {
        return response.header("Retry-After").flatMap(value -> {
            String v = value.trim();
            try {
                return Optional.of(now.plusMillis(Math.round(Double.parseDouble(v) * 1000)));
            } catch (NumberFormatException e) {
                try {
                    return Optional.of(ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                } catch (DateTimeParseException e2) {
                    return Optional.empty();
                }
            }
        });
    }

    /** A reset time given as epoch seconds. */
    public static Optional<Instant> epochSeconds(SocialHttp.Response response, String header) {
        return response.header(header).flatMap(v -> {
            try {
                return Optional.of(Instant.ofEpochSecond(Long.parseLong(v.trim())));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    /** A reset time given as an ISO 8601 instant. */
    public static Optional<Instant> isoInstant(SocialHttp.Response response, String header) {
        return response.header(header).flatMap(v -> {
            try {
                return Optional.of(ZonedDateTime.parse(v.trim(), DateTimeFormatter.ISO_DATE_TIME).toInstant());
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        });
    }

    /** Seconds (possibly fractional) from now, as found in JSON bodies. */
    public static Instant afterSeconds(Instant now, double seconds) {
        return now.plusMillis(Math.max(0, Math.round(seconds * 1000)));
    }
}
