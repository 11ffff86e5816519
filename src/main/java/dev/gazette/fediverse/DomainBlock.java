package dev.gazette.fediverse;

import java.time.Instant;

/** A blocked domain: no activity from it or its subdomains is accepted and nothing is fetched from them. */
public record DomainBlock(String domain, String reason, String createdBy, Instant createdAt) {
}
