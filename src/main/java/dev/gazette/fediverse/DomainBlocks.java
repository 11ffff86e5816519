package dev.gazette.fediverse;

import java.net.IDN;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

import dev.gazette.common.error.ProblemException;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

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
    // the host of a URL (an IPv6 literal without its brackets), for the columns that keep only the URL
    // a trailing dot names the same host (spam.example. is spam.example)
    private static final String HOST_OF = "lower(rtrim(trim(both '[]' from substring(%s from"
            + " '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/@?#]*@)?(\\[[0-9A-Fa-f:.]+\\]|[^/:?#]+)')), '.'))";
    private static final String ON_DOMAIN = "(" + HOST_OF + " = :domain or " + HOST_OF + " like :subdomains)";
    /**
     * The advisory lock between blocking and storing a follower: {@link #block} takes it exclusively, {@link #blocksAny}
     * shared, so a follower stored while a block commits is either seen and removed by the block or sees the block.
     */
    private static final long FOLLOWER_LOCK = 0x6761_7a65_7474_6501L;

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
            em.createNativeQuery("select pg_advisory_xact_lock(:lock)").setParameter("lock", FOLLOWER_LOCK).getSingleResult();
            em.createNativeQuery("""
                    insert into fediverse_domain_block (domain, reason, created_by, created_at) values (:domain, :reason, :editor, :now)
                    on conflict (domain) do update set reason = excluded.reason""")
                    .setParameter("domain", normalised).setParameter("reason", why).setParameter("editor", editor)
                    .setParameter("now", now).executeUpdate();
            // a follower whose actor, inbox or shared inbox is on the domain: deliveries to it would go there
            int followers = em.createNativeQuery(
                    "delete from fediverse_follower where lower(host) = :domain or lower(host) like :subdomains or "
                    + ON_DOMAIN.formatted("inbox", "inbox") + " or " + ON_DOMAIN.formatted("shared_inbox", "shared_inbox"))
                    .setParameter("domain", normalised).setParameter("subdomains", subdomains(normalised)).executeUpdate();
            int replies = em.createNativeQuery("delete from fediverse_reply where status = 'PENDING' and "
                    + ON_DOMAIN.formatted("author_actor_id", "author_actor_id"))
                    .setParameter("domain", normalised).setParameter("subdomains", subdomains(normalised)).executeUpdate();
            Log.infof("Fediverse domain %s blocked: %d followers and %d pending replies removed", normalised, followers, replies);
        });
        return block;
    }

    /**
     * At start-up, rewrites the IPv6 blocks written before they were kept in canonical form, so they match: one
     * statement per such block, none once done.
     */
    void onStart(@Observes StartupEvent event) {
        QuarkusTransaction.requiringNew().run(() -> {
            @SuppressWarnings("unchecked")
            List<String> written = em.createNativeQuery("select domain from fediverse_domain_block where domain like '%:%'")
                    .getResultList();
            for (String domain : written) {
                String canonical = ipv6(domain);
                if (canonical != null && !canonical.equals(domain)) {
                    em.createNativeQuery("""
                            with old as (delete from fediverse_domain_block where domain = :old returning *)
                            insert into fediverse_domain_block (domain, reason, created_by, created_at)
                            select :canonical, reason, created_by, created_at from old on conflict (domain) do nothing""")
                            .setParameter("old", domain).setParameter("canonical", canonical).executeUpdate();
                }
            }
        });
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

    /**
     * Whether any of {@code hosts} (nulls skipped) is blocked, checked in the caller's transaction while holding the
     * lock {@link #block} takes: what the caller stores in the same transaction is either seen by a block being added
     * (and removed with its domain's followers) or was checked against it.
     */
    public boolean blocksAny(String... hosts) {
        em.createNativeQuery("select pg_advisory_xact_lock_shared(:lock)").setParameter("lock", FOLLOWER_LOCK)
                .getSingleResult();
        for (String host : hosts) {
            if (blocks(host)) {
                return true;
            }
        }
        return false;
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
        if (h.contains(":")) {
            String ip = ipv6(h);
            return List.of(ip != null ? ip : h);
        }
        if (IPV4.matcher(h).matches()) {
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
     * An IPv4 address is kept as written, an IPv6 one in its canonical form ({@link #ipv6}); URLs, ports, paths and
     * wildcards are refused.
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
            String ip = ipv6(d);
            if (ip != null) {
                return ip;
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

    /**
     * An IPv6 address in its canonical text form (RFC 5952: lower case, no leading zeros, the longest run of two or
     * more zero groups as {@code ::}), so {@code 2001:DB8::1} and {@code 2001:db8:0:0:0:0:0:1} are one address; an
     * IPv4-mapped address as its IPv4 form. Null when {@code text} (brackets allowed) is not an IPv6 address.
     */
    public static String ipv6(String text) {
        String h = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (!IPV6.matcher(h).matches() || h.indexOf(':') == h.lastIndexOf(':')) {
            return null;
        }
        InetAddress address;
        try {
            // a literal in brackets is parsed, never looked up
            address = InetAddress.getByName("[" + h + "]");
        } catch (UnknownHostException e) {
            return null;
        }
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] bytes = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xff) << 8 | bytes[2 * i + 1] & 0xff;
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not shortened
        for (int i = 0; i < 8; i++) {
            int length = 0;
            while (i + length < 8 && groups[i + length] == 0) {
                length++;
            }
            if (length > bestLength) {
                bestStart = i;
                bestLength = length;
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    private static String subdomains(String domain) {
        return "%." + domain.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
