package dev.gazette.subscriber;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.gazette.common.error.ProblemException;
import io.quarkus.logging.Log;

/**
 * A reader's privacy rights: a copy of everything stored about them (GDPR art. 15/20), and erasure (art. 17) that
 * keeps only what stops their address from being added again.
 */
@ApplicationScoped
public class PrivacyService {

    private final SuppressionService suppressions;
    private final Clock clock;

    PrivacyService(SuppressionService suppressions, Clock clock) {
        this.suppressions = suppressions;
        this.clock = clock;
    }

    /** Everything stored about a reader, in the form they download it. */
    public record Export(String email, String name, SubscriberStatus status, boolean allTopics, List<String> topics,
            Frequency frequency, String timezone, Instant pausedUntil, Consent consent, Source source, Instant confirmedAt,
            Instant unsubscribedAt, Instant createdAt, List<Event> history,
            @JsonInclude(JsonInclude.Include.NON_NULL) Suppressed suppressed) {
    }

    /** How and when the reader consented; the IP address only as a keyed hash. */
    public record Consent(ConsentSource source, String textVersion, Instant at, String ipAddressHash) {
    }

    /** Where the reader came from. */
    public record Source(String trackedLink, String utmSource, String utmMedium, String utmCampaign, String page, String label,
            Long importId) {
    }

    /** One entry of the reader's history. */
    public record Event(String type, String detail, Instant at) {
    }

    /** Why and since when the address is suppressed. */
    public record Suppressed(SuppressionReason reason, Instant since) {
    }

    /** Everything stored about a reader, for their own copy. */
    @Transactional
    public Export export(long subscriberId) {
        Subscriber s = Subscriber.findWithTopics(subscriberId).orElseThrow(() -> ProblemException.notFound("Subscriber " + subscriberId));
        return new Export(s.email, s.name, s.status, s.allTopics, s.topics.stream().map(t -> t.name).toList(), s.frequency,
                s.timezone, s.pausedUntil, new Consent(s.consentSource, s.consentVersion, s.consentAt, s.consentIpHash),
                new Source(s.sourceRef, s.sourceUtmSource, s.sourceUtmMedium, s.sourceUtmCampaign, s.sourcePage, s.sourceLabel,
                        s.importId),
                s.confirmedAt, s.unsubscribedAt, s.createdAt,
                SubscriberEvent.history(s.id).stream().map(e -> new Event(e.type, e.detail == null ? "" : e.detail, e.createdAt))
                        .toList(),
                suppressions.find(s.emailKey).map(sup -> new Suppressed(sup.reason, sup.createdAt)).orElse(null));
    }

    /**
     * Erases a reader: personal data deleted (with their history), aggregate counts untouched, and a keyed hash of the
     * address kept on the suppression list so no later import adds them back.
     */
    @Transactional
    public void erase(long subscriberId) {
        Subscriber s = Subscriber.<Subscriber> findByIdOptional(subscriberId)
                .orElseThrow(() -> ProblemException.notFound("Subscriber " + subscriberId));
        Instant now = clock.instant();
        String hash = suppressions.hash(s.emailKey);
        Suppression suppression = Suppression.findByHash(hash).orElseGet(() -> {
            Suppression created = new Suppression();
            created.emailHash = hash;
            created.reason = SuppressionReason.ERASED;
            created.created(now);
            return created;
        });
        suppression.email = null;
        suppression.note = null;
        suppression.updatedAt = now;
        suppression.persist();
        s.delete();
        Log.infof("Erased subscriber %d", subscriberId);
    }
}
