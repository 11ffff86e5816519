package dev.gazette.common;

/**
 * Breaks the layer order on purpose (common may know no feature), so that {@code ArchitectureTest} can show that its
 * rules catch it. A test class: the rules check only the application's classes.
 */
public final class ForbiddenDependencyExample {

    /** The editor UI's settings, which nothing in common may use. */
    public dev.gazette.admin.AdminConfig config;
}
