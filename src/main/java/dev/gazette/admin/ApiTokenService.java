package dev.gazette.admin;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.gazette.common.Text;
import dev.gazette.common.error.ProblemException;

/**
 * Issues, checks and revokes API tokens.
 */
@ApplicationScoped
public class ApiTokenService {

    static final String TOKEN_PREFIX = "gz_";
    private static final Duration LAST_USED_PRECISION = Duration.ofMinutes(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;

    ApiTokenService(Clock clock) {
        this.clock = clock;
    }

    /** A new token and the secret that only this call ever returns. */
    public record Issued(ApiToken token, String secret) {
    }

    /** Who a valid token belongs to. */
    public record Holder(String username, Set<String> roles, long tokenId) {
    }

    @Transactional
    public Issued issue(String username, String name, Integer expiresInDays) {
        User user = User.findByUsername(username)
                .orElseThrow(() -> ProblemException.invalid("username", "no user is called " + username));
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        ApiToken token = new ApiToken();
        token.user = user;
        token.name = name.trim();
        token.tokenHash = hash(secret);
        token.tokenPrefix = secret.substring(0, 10);
        Instant now = clock.instant();
        token.created(now);
        if (expiresInDays != null) {
            token.expiresAt = now.plus(Duration.ofDays(expiresInDays));
        }
        token.persist();
        return new Issued(token, secret);
    }

    @Transactional
    public List<ApiToken> list() {
        return ApiToken.listAllWithUsers();
    }

    @Transactional
    public Optional<ApiToken> find(long id) {
        return ApiToken.<ApiToken> find("from ApiToken t join fetch t.user where t.id = ?1", id).firstResultOptional();
    }

    /** Revokes a token; revoking it again changes nothing. */
    @Transactional
    public Optional<ApiToken> revoke(long id) {
        Optional<ApiToken> token = find(id);
        token.filter(t -> t.revokedAt == null).ifPresent(t -> {
            t.revokedAt = clock.instant();
            t.updatedAt = t.revokedAt;
        });
        return token;
    }

    /** Checks a presented token; empty when it is unknown, revoked or expired. */
    @Transactional
    public Optional<Holder> authenticate(String secret) {
        if (secret == null || !secret.startsWith(TOKEN_PREFIX)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return ApiToken.findByHash(hash(secret)).filter(t -> t.isUsableAt(now)).map(t -> {
            if (t.lastUsedAt == null || t.lastUsedAt.isBefore(now.minus(LAST_USED_PRECISION))) {
                t.lastUsedAt = now;
            }
            return new Holder(t.user.username, Set.of(t.user.role), t.id);
        });
    }

    static String hash(String secret) {
        return Text.sha256Hex(secret);
    }
}
