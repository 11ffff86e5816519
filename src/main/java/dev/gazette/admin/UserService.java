package dev.gazette.admin;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.panache.common.Sort;

/**
 * The people who may sign in: created, checked at sign-in, their passwords changed, removed. Changing a password or
 * removing a user ends that user's editor sessions everywhere.
 */
@ApplicationScoped
public class UserService {

    public static final int MIN_PASSWORD_LENGTH = 12;
    /** bcrypt reads no further: a longer password would match any other with the same first 72 bytes. */
    public static final int MAX_PASSWORD_BYTES = 72;
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private final EditorSessions sessions;
    private final AdminConfig config;
    private final Clock clock;
    /** Checked when the name is unknown, so that an unknown name takes as long to refuse as a wrong password. */
    private final String noOne;

    UserService(EditorSessions sessions, AdminConfig config, Clock clock) {
        this.sessions = sessions;
        this.config = config;
        this.clock = clock;
        this.noOne = BcryptUtil.bcryptHash("no one has this password " + new SecureRandom().nextLong(), config.passwordCost());
    }

    /** What checking a name and password found; the reason of a refusal is for logs and metrics, never for the client. */
    public record Verification(Optional<User> user, String refusal) {

        static Verification refused(String reason) {
            return new Verification(Optional.empty(), reason);
        }
    }

    /** The user with this name and password; empty otherwise, in the same time whether or not the name exists. */
    @Transactional
    public Optional<User> verify(String username, String password) {
        return check(username, password).user();
    }

    /**
     * Checks a name and password in the same time whether or not the name exists (an unknown name is checked against a
     * hash of no one's password). A hash cheaper than {@code gazette.admin.password-cost} is redone on success.
     */
    @Transactional
    public Verification check(String username, String password) {
        if (username == null || password == null || username.length() > 100 || password.length() > 1000) {
            BcryptUtil.matches("", noOne);
            return Verification.refused("malformed");
        }
        Optional<User> user = User.findByUsername(username.trim().toLowerCase(Locale.ROOT));
        if (tooLongForBcrypt(password)) {
            BcryptUtil.matches(password, noOne); // never matches: no password this long was ever accepted
            return Verification.refused("too_long");
        }
        boolean matches = BcryptUtil.matches(password, user.map(u -> u.passwordHash).orElse(noOne));
        if (user.isEmpty()) {
            return Verification.refused("unknown_user");
        }
        if (!matches) {
            return Verification.refused("wrong_password");
        }
        User found = user.get();
        if (cost(found.passwordHash) < config.passwordCost()) {
            found.passwordHash = hash(password);
            found.updatedAt = clock.instant();
        }
        return new Verification(user, null);
    }

    /** The cost of a bcrypt hash ({@code $2a$12$...}); 0 when it cannot be read, so that it is redone. */
    static int cost(String hash) {
        try {
            return hash.length() > 7 && hash.charAt(0) == '$' && hash.charAt(6) == '$' ? Integer.parseInt(hash.substring(4, 6)) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private String hash(String password) {
        return BcryptUtil.bcryptHash(password, config.passwordCost());
    }

    /**
     * Changes a user's own password, given the current one, and ends all of that user's sessions (a browser where
     * the password may have been seen is signed out).
     */
    @Transactional
    public User changePassword(String username, String current, String next) {
        User user = verify(username, current == null ? "" : current)
                .orElseThrow(() -> ProblemException.invalid("current", "is not your current password"));
        checkPassword("password", next);
        user.passwordHash = hash(next);
        user.updatedAt = clock.instant();
        sessions.closeAll(user.id);
        return user;
    }

    /** Removes a user, with their sessions and API tokens; nobody removes themselves, and one administrator stays. */
    @Transactional
    public User remove(long id, String by) {
        User user = User.<User>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("User " + id));
        if (user.username.equals(by)) {
            throw ProblemException.conflict("id", "You cannot remove yourself; ask another administrator.");
        }
        // the administrators' rows locked: two removing each other at once cannot both see another one left
        if (Roles.ADMIN.equals(user.role)
                && User.find("role", Roles.ADMIN).withLock(LockModeType.PESSIMISTIC_WRITE).list().size() <= 1) {
            throw ProblemException.conflict("id", "The last administrator cannot be removed.");
        }
        sessions.closeAll(user.id);
        ApiToken.delete("user.id", user.id);
        user.delete();
        return user;
    }

    @Transactional
    public Optional<User> find(long id) {
        return User.findByIdOptional(id);
    }

    @Transactional
    public User create(String username, String password, String role) {
        String name = username.trim().toLowerCase(Locale.ROOT);
        if (!Roles.ALL.contains(role)) {
            throw ProblemException.invalid("role", "must be one of " + Roles.ALL);
        }
        checkPassword("password", password);
        if (User.findByUsername(name).isPresent()) {
            throw ProblemException.conflict("username", "The user name " + name + " is taken.");
        }
        User user = new User();
        user.username = name;
        user.passwordHash = hash(password);
        user.role = role;
        user.created(clock.instant());
        user.persist();
        return user;
    }

    @Transactional
    public List<User> list() {
        return User.listAll(Sort.by("username"));
    }

    @Transactional
    public boolean adminExists() {
        return User.adminExists();
    }

    /** Whether bcrypt would ignore part of the password: it reads only the first {@link #MAX_PASSWORD_BYTES} bytes. */
    static boolean tooLongForBcrypt(String password) {
        return password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES;
    }

    private static void checkPassword(String field, String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw ProblemException.invalid(field, "must be at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (tooLongForBcrypt(password)) {
            throw ProblemException.invalid(field, "must be at most " + MAX_PASSWORD_BYTES
                    + " bytes in UTF-8 (72 plain letters or digits, fewer with accents or emoji): longer passwords are not"
                    + " fully checked");
        }
    }

    /** A random password that is easy to copy: no look-alike characters. */
    public static String generatePassword() {
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }
}
