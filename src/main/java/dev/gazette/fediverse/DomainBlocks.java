package dev.gazette.fediverse;

import java.net.IDN;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import dev.gazette.common.error.ProblemException;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Domains the publication does not federate with ({@code fediverse_domain_block}). A block covers the domain and all
 * its subdomains: the inbox refuses their activities before any key is fetched, nothing is fetched from them, and
 * blocking removes the followers they had and the replies from them still waiting for moderation.
 */
@ApplicationScoped
public class DomainBlocks {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]+");
    // the host of an actor id, for the replies table, which keeps only the id
    private static final String ON_DOMAIN = "(lower(substring(%s from '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/@?#]*@)?([^/:?#]+)'))"
            + " = :domain or lower(substring(%s from '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/@?#]*@)?([^/:?#]+)')) like :subdomains)";

    private final EntityManager em;
    private final Clock clock;

    DomainBlocks(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    /** Every block, by domain. */
    public List<DomainBlock> list() {
        return QuarkusTransaction.joiningExisting().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery(
                    "select domain, reason, created_by, created_at from fediverse_domain_block order by domain").getResultList();
            return rows.stream().map(r -> new DomainBlock((String) r[0], (String) r[1], (String) r[2], Replies.instant(r[3])))
                    .toList();
        });
    }

    /**
     * Blocks a domain (and its subdomains), or changes the reason of an existing block. In the same transaction, removes
     * the followers on it and their replies still pending. Bad input is a problem naming {@code domain} or {@code reason}.
     */
    public DomainBlock block(String domain, String reason, String editor) {
        String normalised = normalise(domain);
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        if (why != null && why.length() > 1000) {
            throw ProblemException.invalid("reason", "may be at most 1000 characters");
        }
        Instant now = clock.instant();
        DomainBlock block = new DomainBlock(normalised, why, editor, now);
        QuarkusTransaction.joiningExisting().run(() -> {
            em.createNativeQuery("""
                    insert into fediverse_domain_block (domain, reason, created_by, created_at) values (:domain, :reason, :editor, :now)
                    on conflict (domain) do update set reason = excluded.reason""")
                    .setParameter("domain", normalised).setParameter("reason", why).setParameter("editor", editor)
                    .setParameter("now", now).executeUpdate();
            int followers = em.createNativeQuery(
                    "delete from fediverse_follower where lower(host) = :domain or lower(host) like :subdomains")
                    .setParameter("domain", normalised).setParameter("subdomains", subdomains(normalised)).executeUpdate();
            int replies = em.createNativeQuery("delete from fediverse_reply where status = 'PENDING' and "
                    + ON_DOMAIN.formatted("author_actor_id", "author_actor_id"))
                    .setParameter("domain", normalised).setParameter("subdomains", subdomains(normalised)).executeUpdate();
            Log.infof("Fediverse domain %s blocked: %d followers and %d pending replies removed", normalised, followers, replies);
        });
        return block;
    }

    /** Lifts a block; false when the domain was not blocked. */
    public boolean unblock(String domain) {
        String normalised;
        try {
            normalised = normalise(domain);
        } catch (ProblemException e) {
            return false;
        }
        return QuarkusTransaction.joiningExisting().call(() -> em.createNativeQuery(
                "delete from fediverse_domain_block where domain = :domain").setParameter("domain", normalised)
                .executeUpdate() > 0);
    }

    /** Whether {@code host}, or any domain it is a subdomain of, is blocked. */
    public boolean blocks(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        List<String> candidates = candidates(host);
        if (candidates.isEmpty()) {
            return false;
        }
        return QuarkusTransaction.joiningExisting().call(() -> !em.createNativeQuery(
                "select 1 from fediverse_domain_block where domain in (:candidates)").setParameter("candidates", candidates)
                .setMaxResults(1).getResultList().isEmpty());
    }

    /** The host and each of its parent domains, normalised as blocks are stored. */
    static List<String> candidates(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (h.isEmpty()) {
            return List.of();
        }
        if (IPV4.matcher(h).matches() || h.contains(":")) {
            return List.of(h);
        }
        try {
            h = IDN.toASCII(h, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return List.of(h);
        }
        List<String> candidates = new ArrayList<>();
        for (String d = h; !d.isEmpty(); d = d.contains(".") ? d.substring(d.indexOf('.') + 1) : "") {
            candidates.add(d);
        }
        return candidates;
    }

    /**
     * A domain as stored: trimmed, lower case, ASCII (an internationalised name as punycode), without a trailing dot.
     * IP addresses are kept as written; URLs, ports, paths and wildcards are refused.
     */
    static String normalise(String domain) {
        String d = domain == null ? "" : domain.strip().toLowerCase(Locale.ROOT);
        if (d.isEmpty()) {
            throw ProblemException.invalid("domain", "enter a domain, e.g. spam.example");
        }
        if (d.contains("://") || d.contains("/") || d.contains("?") || d.contains("#") || d.contains("@")) {
            throw ProblemException.invalid("domain", "enter the domain only, e.g. spam.example, not a URL or an address");
        }
        if (d.contains("*")) {
            throw ProblemException.invalid("domain",
                    "wildcards are not needed: blocking spam.example blocks its subdomains too");
        }
        if (d.startsWith("[") && d.endsWith("]")) {
            d = d.substring(1, d.length() - 1);
        }
        if (d.contains(":")) {
            if (IPV6.matcher(d).matches() && d.indexOf(':') != d.lastIndexOf(':')) {
                return d; // an IPv6 address
            }
            throw ProblemException.invalid("domain", "enter the domain without a port, e.g. spam.example");
        }
        while (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        if (IPV4.matcher(d).matches()) {
            return d;
        }
        String ascii;
        try {
            ascii = IDN.toASCII(d, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("domain", "is not a valid domain name");
        }
        if (ascii.isEmpty() || ascii.length() > 253) {
            throw ProblemException.invalid("domain", "is not a valid domain name");
        }
        for (String label : ascii.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw ProblemException.invalid("domain", "is not a valid domain name (letters, digits, hyphens and dots)");
            }
        }
        return ascii;
    }

    private static String subdomains(String domain) {
        return "%." + domain.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
