package dev.gazette.admin;

import java.time.Instant;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import dev.gazette.common.BaseEntity;

/**
 * A signed-in browser of the editor UI. It ends at logout, after its idle time, when its user changes their password
 * or is removed; the cookie's secret is kept only as a hash.
 */
@Entity
@Table(name = "editor_session")
public class EditorSession extends BaseEntity {

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "user_id", nullable = false)
    public User user;

    @Column(name = "token_hash", nullable = false, unique = true, length = 64)
    public String tokenHash;

    @Column(name = "last_seen_at", nullable = false)
    public Instant lastSeenAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    public static Optional<EditorSession> findByHash(String hash) {
        return find("from EditorSession s join fetch s.user where s.tokenHash = ?1", hash).firstResultOptional();
    }
}
