package dev.gazette.testing;

import jakarta.inject.Singleton;

import dev.gazette.admin.ApiTokenService;
import dev.gazette.admin.Roles;
import dev.gazette.admin.UserService;

/**
 * Test data built through the application's own services.
 */
@Singleton
public class Fixtures {

    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "admin-password-for-tests";
    public static final String EDITOR = "editor";
    public static final String EDITOR_PASSWORD = "editor-password-for-tests";

    private final UserService users;
    private final ApiTokenService tokens;

    Fixtures(UserService users, ApiTokenService tokens) {
        this.users = users;
        this.tokens = tokens;
    }

    public void admin() {
        users.create(ADMIN, ADMIN_PASSWORD, Roles.ADMIN);
    }

    /** Creates the administrator and returns a fresh API token of theirs. */
    public String adminToken() {
        admin();
        return tokens.issue(ADMIN, "tests", null).secret();
    }

    /** Creates an editor and returns a fresh API token of theirs. */
    public String editorToken() {
        users.create(EDITOR, EDITOR_PASSWORD, Roles.EDITOR);
        return tokens.issue(EDITOR, "tests", null).secret();
    }
}
