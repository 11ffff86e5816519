package dev.gazette.link;

import java.util.List;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;

import dev.gazette.common.BaseEntity;
import io.quarkus.panache.common.Parameters;

/**
 * A short, unguessable code that redirects to a target URL with UTM parameters, made for one context. Immutable once
 * created, so the redirect can cache it.
 */
@Entity
@Table(name = "tracked_link")
public class TrackedLink extends BaseEntity {

    @Column(nullable = false, unique = true, length = 16)
    public String code;

    @Column(name = "target_url", nullable = false, length = 2000)
    public String targetUrl;

    @Enumerated(EnumType.STRING)
    @Column(name = "context_type", nullable = false, length = 20)
    public LinkContextType contextType;

    @Column(name = "context_id")
    public Long contextId;

    @Column(length = 200)
    public String label;

    @Column(name = "utm_source", length = 200)
    public String utmSource;

    @Column(name = "utm_medium", length = 200)
    public String utmMedium;

    @Column(name = "utm_campaign", length = 200)
    public String utmCampaign;

    @Column(name = "utm_content", length = 200)
    public String utmContent;

    @Column(name = "utm_term", length = 200)
    public String utmTerm;

    public Utm utm() {
        return new Utm(utmSource, utmMedium, utmCampaign, utmContent, utmTerm);
    }

    public static Optional<TrackedLink> findByCode(String code) {
        return find("code", code).firstResultOptional();
    }

    /** The link of a target in a context, as {@link TrackedLinkService#create} identifies it. */
    public static Optional<TrackedLink> findByContext(String target, LinkContextType type, Long contextId, String label) {
        if (contextId != null) {
            return find("contextType = :type and contextId = :id and targetUrl = :target",
                    Parameters.with("type", type).and("id", contextId).and("target", target)).firstResultOptional();
        }
        return find("contextType = :type and contextId is null and coalesce(label, '') = :label and targetUrl = :target",
                Parameters.with("type", type).and("label", label == null ? "" : label).and("target", target))
                .firstResultOptional();
    }

    public static List<TrackedLink> byIds(List<Long> ids) {
        return ids.isEmpty() ? List.of() : list("id in ?1", ids);
    }
}
