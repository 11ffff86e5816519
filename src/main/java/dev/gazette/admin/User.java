package dev.gazette.admin;

import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import dev.gazette.common.BaseEntity;
import dev.gazette.common.security.Roles;

/**
 * A person who works on the publication: an administrator or an editor. Passwords are stored as bcrypt hashes
 * (checked by {@link SignInService}).
 */
@Entity
@Table(name = "app_user")
public class User extends BaseEntity {

    @Column(nullable = false, unique = true, length = 100)
    public String username;

    @Column(name = "password_hash", nullable = false, length = 100)
    public String passwordHash;

    /** {@value Roles#ADMIN} or {@value Roles#EDITOR}; an administrator also gets the editor role when signed in. */
    @Column(nullable = false, length = 20)
    public String role;

    public static Optional<User> findByUsername(String username) {
        return find("username", username).firstResultOptional();
    }

    public static boolean adminExists() {
        return count("role", Roles.ADMIN) > 0;
    }
}
