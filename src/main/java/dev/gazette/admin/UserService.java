package dev.gazette.admin;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.gazette.common.error.ProblemException;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.panache.common.Sort;

/**
 * Creates and lists the people who may sign in.
 */
@ApplicationScoped
public class UserService {

    public static final int MIN_PASSWORD_LENGTH = 12;
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private final Clock clock;

    UserService(Clock clock) {
        this.clock = clock;
    }

    @Transactional
    public User create(String username, String password, String role) {
        String name = username.trim().toLowerCase(Locale.ROOT);
        if (!Roles.ALL.contains(role)) {
            throw ProblemException.invalid("role", "must be one of " + Roles.ALL);
        }
        if (password.length() < MIN_PASSWORD_LENGTH) {
            throw ProblemException.invalid("password", "must be at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (User.findByUsername(name).isPresent()) {
            throw ProblemException.conflict("username", "The user name " + name + " is taken.");
        }
        User user = new User();
        user.username = name;
        user.passwordHash = BcryptUtil.bcryptHash(password);
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
