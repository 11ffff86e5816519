package dev.gazette.common.security;

import java.util.Set;

/**
 * The roles people have. Administrators manage users, tokens and settings; editors run the publication.
 */
public final class Roles {

    public static final String ADMIN = "admin";
    public static final String EDITOR = "editor";

    public static final Set<String> ALL = Set.of(ADMIN, EDITOR);

    private Roles() {
    }
}
