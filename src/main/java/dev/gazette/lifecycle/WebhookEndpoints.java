package dev.gazette.lifecycle;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.gazette.common.error.Problem;
import dev.gazette.common.error.ProblemException;
import dev.gazette.common.events.EventLog;
import dev.gazette.social.CredentialCipher;
import io.quarkus.logging.Log;
import io.quarkus.panache.common.Sort;
import io.quarkus.runtime.StartupEvent;

/**
 * Creates, changes, pauses and resumes webhook endpoints, and shows and replays their deliveries. Secrets are sealed
 * like channel credentials and never leave this class except to sign.
 */
@ApplicationScoped
public class WebhookEndpoints {

    static final String PURPOSE = "webhook-secret";
    static final int MIN_SECRET_LENGTH = 16;

    private static final String RESUME = """
            update webhook_delivery set next_attempt_at = :now, updated_at = :now
            where endpoint_id = :endpoint and status in ('PENDING', 'RETRY')""";

    private static final String REPLAY = """
            update webhook_delivery set status = 'PENDING', attempts = 0, next_attempt_at = :now, claimed_by = null,
                error = null, response_code = null, updated_at = :now
            where id = :id and status in ('DELIVERED', 'FAILED', 'RETRY')""";

    private final CredentialCipher cipher;
    private final WebhookClient client;
    private final EntityManager em;
    private final Clock clock;

    WebhookEndpoints(CredentialCipher cipher, WebhookClient client, EntityManager em, Clock clock) {
        this.cipher = cipher;
        this.client = client;
        this.em = em;
        this.clock = clock;
    }

    public List<WebhookEndpoint> list() {
        return WebhookEndpoint.listAll(Sort.by("id"));
    }

    public WebhookEndpoint get(long id) {
        return WebhookEndpoint.<WebhookEndpoint> findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("Webhook endpoint " + id));
    }

    @Transactional
    public WebhookEndpoint create(WebhookEndpointInput in) {
        List<Problem.Violation> problems = new ArrayList<>();
        if (in.name() == null || in.name().isBlank()) {
            problems.add(new Problem.Violation("name", "must not be blank"));
        }
        if (in.url() == null || in.url().isBlank()) {
            problems.add(new Problem.Violation("url", "must not be blank"));
        }
        if (in.secret() == null || in.secret().isEmpty()) {
            problems.add(new Problem.Violation("secret", "is required: at least " + MIN_SECRET_LENGTH + " characters"));
        }
        WebhookEndpoint e = new WebhookEndpoint();
        apply(e, in, problems);
        e.created(clock.instant());
        e.persist();
        return e;
    }

    @Transactional
    public WebhookEndpoint update(long id, WebhookEndpointInput in) {
        WebhookEndpoint e = get(id);
        List<Problem.Violation> problems = new ArrayList<>();
        if (in.name() != null && in.name().isBlank()) {
            problems.add(new Problem.Violation("name", "must not be blank"));
        }
        if (in.url() != null && in.url().isBlank()) {
            problems.add(new Problem.Violation("url", "must not be blank"));
        }
        apply(e, in, problems);
        e.updatedAt = clock.instant();
        return e;
    }

    @Transactional
    public void delete(long id) {
        get(id).delete();
    }

    /** Lifts a pause: the endpoint's waiting deliveries are due at once. */
    @Transactional
    public WebhookEndpoint resume(long id) {
        WebhookEndpoint e = get(id);
        Instant now = clock.instant();
        e.pausedAt = null;
        e.pauseReason = null;
        e.consecutiveFailures = 0;
        e.updatedAt = now;
        em.createNativeQuery(RESUME).setParameter("now", now).setParameter("endpoint", id).executeUpdate();
        return e;
    }

    /** The endpoint's latest deliveries, with their events. */
    @Transactional
    public List<WebhookDelivery> deliveries(long endpointId, int limit) {
        get(endpointId);
        return WebhookDelivery.recent(endpointId, Math.max(1, Math.min(limit, 500)));
    }

    /**
     * Sends a delivery again, with the same delivery id, at the next dispatcher run (one that is being sent right now
     * cannot be replayed).
     */
    @Transactional
    public void replay(long endpointId, long deliveryId) {
        WebhookDelivery d = WebhookDelivery.<WebhookDelivery> findByIdOptional(deliveryId)
                .filter(x -> x.endpointId == endpointId)
                .orElseThrow(() -> ProblemException.notFound("Delivery " + deliveryId + " of endpoint " + endpointId));
        int replayed = em.createNativeQuery(REPLAY).setParameter("now", clock.instant()).setParameter("id", d.id)
                .executeUpdate();
        if (replayed == 0) {
            throw new ProblemException(409, "Conflict", "The delivery is " + d.status.name().toLowerCase(Locale.ROOT)
                    + " and cannot be replayed now.");
        }
    }

    /** Seals every endpoint's secret again under the current credential key (after a key rotation); at start-up. */
    @Transactional
    public int resealAll() {
        int count = 0;
        for (WebhookEndpoint e : WebhookEndpoint.<WebhookEndpoint>listAll()) {
            if (cipher.needsResealing(e.secret)) {
                e.secret = cipher.seal(cipher.open(e.secret, PURPOSE), PURPOSE);
                count++;
            }
        }
        return count;
    }

    void onStart(@Observes StartupEvent event) {
        int resealed = resealAll();
        if (resealed > 0) {
            Log.infof("Sealed the secrets of %d webhook endpoint(s) again under the current credential key", resealed);
        }
    }

    /** The plain secret, to sign a delivery. */
    String secret(byte[] sealed) {
        return cipher.open(sealed, PURPOSE);
    }

    private void apply(WebhookEndpoint e, WebhookEndpointInput in, List<Problem.Violation> problems) {
        if (in.name() != null && !in.name().isBlank()) {
            e.name = in.name().strip();
        }
        if (in.url() != null && !in.url().isBlank()) {
            String problem = client.problem(in.url());
            if (problem != null) {
                problems.add(new Problem.Violation("url", problem));
            }
            e.url = in.url().strip();
        }
        if (in.secret() != null && !in.secret().isEmpty()) {
            if (in.secret().strip().length() < MIN_SECRET_LENGTH) {
                problems.add(new Problem.Violation("secret", "is too short: use at least " + MIN_SECRET_LENGTH + " characters"));
            } else {
                e.secret = cipher.seal(in.secret().strip(), PURPOSE);
            }
        }
        if (in.events() != null) {
            Set<String> types = new LinkedHashSet<>();
            for (String type : in.events()) {
                if (type == null || !EventLog.TYPES.contains(type.strip())) {
                    problems.add(new Problem.Violation("events", "unknown event type " + type + "; known: " + EventLog.TYPES));
                } else {
                    types.add(type.strip());
                }
            }
            e.events = String.join(",", types);
        }
        if (in.active() != null) {
            e.active = in.active();
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(400, "Bad Request", "The webhook endpoint is not valid.", problems);
        }
    }
}
