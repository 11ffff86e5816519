package dev.gazette.admin.web;

/**
 * What every editor page shows around its content: who is signed in, whether they administer, the form token, and
 * which section is current.
 */
public record AdminChrome(String user, boolean admin, String csrf, String section) {
}
