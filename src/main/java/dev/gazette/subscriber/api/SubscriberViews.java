package dev.gazette.subscriber.api;

import java.time.Instant;
import java.util.List;

import dev.gazette.subscriber.ConsentSource;
import dev.gazette.subscriber.Frequency;
import dev.gazette.subscriber.Subscriber;
import dev.gazette.subscriber.SubscriberEvent;
import dev.gazette.subscriber.SubscriberStatus;
import dev.gazette.subscriber.Suppression;
import dev.gazette.subscriber.SuppressionReason;

/**
 * How the editor API shows readers.
 */
public final class SubscriberViews {

    private SubscriberViews() {
    }

    /** A reader. */
    public record SubscriberView(long id, String email, String name, SubscriberStatus status, boolean allTopics,
            List<String> topics, Frequency frequency, String timezone, Instant pausedUntil, ConsentSource consentSource,
            String consentVersion, Instant consentAt, Source source, Instant confirmedAt, Instant unsubscribedAt,
            Instant createdAt, List<Event> history) {

        static SubscriberView of(Subscriber s, List<SubscriberEvent> history) {
            return new SubscriberView(s.id, s.email, s.name, s.status, s.allTopics, s.topics.stream().map(t -> t.slug).toList(),
                    s.frequency, s.timezone, s.pausedUntil, s.consentSource, s.consentVersion, s.consentAt,
                    new Source(s.sourceRef, s.sourceUtmSource, s.sourceUtmMedium, s.sourceUtmCampaign, s.sourcePage,
                            s.sourceLabel, s.importId),
                    s.confirmedAt, s.unsubscribedAt, s.createdAt,
                    history == null ? null : history.stream().map(e -> new Event(e.type, e.detail, e.createdAt)).toList());
        }
    }

    /** How a reader arrived. */
    public record Source(String trackedLink, String utmSource, String utmMedium, String utmCampaign, String page,
            String label, Long importId) {
    }

    /** One step of a reader's history. */
    public record Event(String type, String detail, Instant at) {
    }

    /** A suppressed address; {@code email} is null for erased readers. */
    public record SuppressionView(long id, String email, SuppressionReason reason, String note, Instant since) {
        static SuppressionView of(Suppression s) {
            return new SuppressionView(s.id, s.email, s.reason, s.note, s.createdAt);
        }
    }
}
