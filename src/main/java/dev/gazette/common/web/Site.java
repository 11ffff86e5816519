package dev.gazette.common.web;

import java.util.List;

/**
 * The publication around every public page (the {@code layout} template): its name, description, address, language,
 * social profiles and X handle. Plain text, escaped by Qute.
 */
public record Site(String name, String description, String baseUrl, String language, List<Link> socialLinks, String xHandle) {

    /** A labelled link. */
    public record Link(String label, String url) {
    }
}
