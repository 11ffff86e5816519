package dev.gazette.admin;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.gazette.common.Text;

/**
 * Sessions of the editor UI, in the database: a random secret in the {@value #COOKIE} cookie, its hash in
 * {@code editor_session}. Every instance checks the same rows, so ending a session (logout, a password change, a
 * user's removal) takes effect everywhere at once; a copied cookie is worthless after that.
 */
@ApplicationScoped
public class EditorSessions {

    public static final String COOKIE = "gazette-session";
    /** How long the last use is remembered without writing: the idle timeout is this precise. */
    private static final Duration TOUCH_PRECISION = Duration.ofMinutes(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AdminConfig config;
    private final Clock clock;

    EditorSessions(AdminConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** Who a valid session belongs to; the hash of its cookie names this session alone (CSRF tokens are bound to it). */
    public record Holder(String username, Set<String> roles, long sessionId, String tokenHash) {
    }

    /** Opens a session for a user who just proved who they are; returns the cookie's value. */
    @Transactional
    public String open(long userId) {
        Instant now = clock.instant();
        EditorSession.delete("expiresAt < ?1", now);
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        EditorSession session = new EditorSession();
        session.user = User.findById(userId);
        session.tokenHash = Text.sha256Hex(secret);
        session.lastSeenAt = now;
        session.expiresAt = now.plus(config.sessionTimeout());
        session.created(now);
        session.persist();
        return secret;
    }

    /** The holder of a presented cookie, when its session is open and not idle too long; each use extends it. */
    @Transactional
    public Optional<Holder> find(String secret) {
        if (secret == null || secret.isEmpty() || secret.length() > 100) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return EditorSession.findByHash(Text.sha256Hex(secret)).filter(s -> s.expiresAt.isAfter(now)).map(s -> {
            if (s.lastSeenAt.isBefore(now.minus(TOUCH_PRECISION))) {
                // a bulk update: a logout on another request may delete the row meanwhile, and that is no error
                EditorSession.update("lastSeenAt = ?1, expiresAt = ?2, updatedAt = ?1 where id = ?3", now,
                        now.plus(config.sessionTimeout()), s.id);
            }
            return new Holder(s.user.username, Set.of(s.user.role), s.id, s.tokenHash);
        });
    }

    /** Ends the session of a presented cookie (logout). */
    @Transactional
    public void close(String secret) {
        if (secret != null && !secret.isEmpty()) {
            EditorSession.delete("tokenHash", Text.sha256Hex(secret));
        }
    }

    /** Ends every session of a user, on every instance; returns how many were open. */
    @Transactional
    public long closeAll(long userId) {
        return EditorSession.delete("user.id", userId);
    }
}
