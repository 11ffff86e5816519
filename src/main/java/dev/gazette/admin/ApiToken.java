package dev.gazette.admin;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import dev.gazette.common.BaseEntity;

/**
 * A bearer token for the editor API. Only its SHA-256 hash is stored; the token itself is shown once, at creation.
 */
@Entity
@Table(name = "api_token")
public class ApiToken extends BaseEntity {

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "user_id", nullable = false)
    public User user;

    @Column(nullable = false, length = 100)
    public String name;

    @Column(name = "token_hash", nullable = false, unique = true, length = 64)
    public String tokenHash;

    /** The first characters of the token, so people can tell their tokens apart. */
    @Column(name = "token_prefix", nullable = false, length = 16)
    public String tokenPrefix;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    public boolean isUsableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }

    public static Optional<ApiToken> findByHash(String hash) {
        return find("from ApiToken t join fetch t.user where t.tokenHash = ?1", hash).firstResultOptional();
    }

    public static List<ApiToken> listAllWithUsers() {
        return find("from ApiToken t join fetch t.user order by t.id").list();
    }
}
