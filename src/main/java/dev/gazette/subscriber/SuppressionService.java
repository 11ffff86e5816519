package dev.gazette.subscriber;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.gazette.common.EmailAddresses;
import dev.gazette.common.SignedTokens;
import dev.gazette.common.error.ProblemException;
import io.quarkus.panache.common.Sort;

/**
 * The suppression list: addresses never to be mailed, checked when readers subscribe, when lists are imported and
 * again when each message is sent.
 */
@ApplicationScoped
public class SuppressionService {

    static final String HASH_DOMAIN = "suppression";

    private final SignedTokens tokens;
    private final Clock clock;
    private final ReaderEvents events;

    SuppressionService(SignedTokens tokens, Clock clock, ReaderEvents events) {
        this.events = events;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** The keyed hash an address is suppressed under. */
    public String hash(String emailKey) {
        return tokens.keyedHash(HASH_DOMAIN, emailKey);
    }

    /** A hasher for many addresses on one thread. */
    public SignedTokens.Hasher hasher() {
        return tokens.hasher(HASH_DOMAIN);
    }

    @Transactional
    public Optional<Suppression> find(String emailKey) {
        return Suppression.findByHash(hash(emailKey));
    }

    @Transactional
    public boolean isSuppressed(String emailKey) {
        return Suppression.findByHash(hash(emailKey)).isPresent();
    }

    /**
     * Adds an address (or changes why it is suppressed) and moves its reader, if any, to the matching status.
     * Bounces, complaints and blocks are never downgraded to a plain unsubscribe.
     */
    @Transactional
    public Suppression suppress(String email, SuppressionReason reason, String note) {
        String key = EmailAddresses.key(email);
        Instant now = clock.instant();
        Suppression suppression = Suppression.findByHash(hash(key)).orElseGet(() -> {
            Suppression s = new Suppression();
            s.emailHash = hash(key);
            s.created(now);
            return s;
        });
        if (suppression.reason == null || !(suppression.reason.needsEditor()
                && (reason == SuppressionReason.UNSUBSCRIBED || reason == SuppressionReason.INACTIVE))) {
            suppression.reason = reason;
        }
        suppression.email = email;
        suppression.note = note;
        suppression.updatedAt = now;
        suppression.persist();
        Subscriber.findByEmailKey(key).ifPresent(s -> {
            SubscriberStatus status = switch (suppression.reason) {
                case HARD_BOUNCE -> SubscriberStatus.BOUNCED;
                case COMPLAINT -> SubscriberStatus.COMPLAINED;
                case BLOCKED -> SubscriberStatus.BLOCKED;
                case UNSUBSCRIBED, ERASED, INACTIVE -> SubscriberStatus.UNSUBSCRIBED;
            };
            if (s.status != status) {
                s.status = status;
                s.updatedAt = now;
                if (status == SubscriberStatus.UNSUBSCRIBED && s.unsubscribedAt == null) {
                    s.unsubscribedAt = now;
                }
                SubscriberEvent.record(s.id, "SUPPRESSED", suppression.reason + (note == null ? "" : ": " + note), now);
                if (suppression.reason.needsEditor()) {
                    events.suppressed(s, suppression.reason);
                } else {
                    events.unsubscribed(s, "suppressed by an editor");
                }
            }
        });
        return suppression;
    }

    /** Lifts a bounce, complaint or block. Unsubscribes are lifted only by the reader's own new double opt-in. */
    @Transactional
    public void lift(long id) {
        Suppression suppression = Suppression.<Suppression> findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("Suppression " + id));
        if (!suppression.reason.needsEditor()) {
            throw new ProblemException(409, "Conflict", "An " + suppression.reason.name().toLowerCase()
                    + " address is lifted only by the reader subscribing again and confirming.");
        }
        Instant now = clock.instant();
        if (suppression.email != null) {
            Subscriber.findByEmailKey(EmailAddresses.key(suppression.email)).ifPresent(s -> {
                s.status = s.confirmedAt != null ? SubscriberStatus.ACTIVE : SubscriberStatus.PENDING;
                s.updatedAt = now;
                SubscriberEvent.record(s.id, "UNSUPPRESSED", "lifted by an editor (" + suppression.reason + ")", now);
            });
        }
        suppression.delete();
    }

    /** Removed when a reader confirms a new subscription. */
    @Transactional
    void liftForNewOptIn(String emailKey) {
        Suppression.findByHash(hash(emailKey))
                .filter(s -> !s.reason.needsEditor())
                .ifPresent(Suppression::delete);
    }

    @Transactional
    public List<Suppression> list(Long after, int limit) {
        return after == null ? Suppression.findAll(Sort.by("id")).page(0, limit).list()
                : Suppression.<Suppression> find("id > ?1", Sort.by("id"), after).page(0, limit).list();
    }
}
