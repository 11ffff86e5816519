package dev.gazette.subscriber;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import dev.gazette.article.Topic;
import dev.gazette.common.EmailAddresses;
import dev.gazette.common.Emails;
import dev.gazette.common.SignedTokens;
import dev.gazette.common.error.Problem;
import dev.gazette.common.error.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;

/**
 * How readers enter and leave: double opt-in, preferences, one-click unsubscribe, erasure. Answers never reveal
 * whether an address is already known.
 */
@ApplicationScoped
public class SubscriptionService {

    private static final String SUBSCRIBE = """
            insert into subscriber (email, email_key, status, all_topics, frequency, timezone, consent_source,
                consent_at, created_at, updated_at)
            values (:email, :key, 'PENDING', :all, :frequency, :timezone, 'FORM', :now, :now, :now)
            on conflict (email_key) do nothing""";

    private static final Pattern UNSUBSCRIBE_SUBJECT = Pattern.compile("(?i)\\bunsubscribe\\s+([A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)");

    static final String IP_HASH_DOMAIN = "ip";

    private final SubscribersConfig config;
    private final SuppressionService suppressions;
    private final ConfirmationSender confirmations;
    private final SignedTokens tokens;
    private final EntityManager em;
    private final Clock clock;
    private final ReaderEvents events;

    SubscriptionService(SubscribersConfig config, SuppressionService suppressions, ConfirmationSender confirmations,
            SignedTokens tokens, EntityManager em, Clock clock, MeterRegistry metrics, ReaderEvents events) {
        this.metrics = metrics;
        this.events = events;
        this.config = config;
        this.suppressions = suppressions;
        this.confirmations = confirmations;
        this.tokens = tokens;
        this.em = em;
        this.clock = clock;
    }

    private final MeterRegistry metrics;

    /**
     * Counts a step of the funnel by how the reader arrived (a tracked link, other UTM-tagged links, or directly): a
     * label per link would be one time series per link, which belongs in the link reports, not in Prometheus.
     */
    private void count(String step, Subscriber s) {
        String source = s.sourceRef != null ? "tracked_link" : s.sourceUtmSource != null ? "utm" : "direct";
        Counter.builder("gazette." + step).description("Readers by funnel step and how they arrived").tag("source", source)
                .register(metrics).increment();
    }

    /**
     * A subscribe request as the form or the JSON endpoint sends it.
     *
     * @param visitorHash keyed hash of the client's IP address ({@link #visitorHash}); the address itself is never kept
     */
    public record SubscribeRequest(String email, String name, List<String> topics, String frequency, String timezone,
            String visitorHash, String ref, String utmSource, String utmMedium, String utmCampaign, String page) {
    }

    /** The reader's choices on the preferences page. */
    public record Preferences(String name, List<String> topics, boolean allTopics, Frequency frequency, String timezone,
            int pauseWeeks) {
    }

    /** What a confirmation or unsubscribe link found. */
    public enum LinkState {
        VALID,
        INVALID,
        EXPIRED,
        USED,
        GONE
    }

    /** Validated subscribe input, ready for the database. */
    public record Normalised(String email, String key, String name, Set<Topic> topics, boolean allTopics, Frequency frequency,
            String timezone) {
    }

    /** The keyed hash a client IP address is known by: for rate limits and the consent record. */
    public String visitorHash(String ipAddress) {
        return ipAddress == null ? null : tokens.keyedHash(IP_HASH_DOMAIN, ipAddress);
    }

    /** Checks the input, naming each bad field, before any rate limit is spent or anything is written. */
    @Transactional
    public Normalised validate(SubscribeRequest request) {
        List<Problem.Violation> problems = new ArrayList<>();
        Optional<String> email = EmailAddresses.normalise(request.email());
        if (email.isEmpty()) {
            problems.add(new Problem.Violation("email", "is not a valid email address"));
        }
        Frequency frequency = config.defaultFrequency();
        if (request.frequency() != null && !request.frequency().isBlank()) {
            try {
                frequency = Frequency.valueOf(request.frequency().trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(new Problem.Violation("frequency", "must be daily or weekly"));
            }
        }
        String timezone = timezone(request.timezone(), problems);
        Set<Topic> topics = Topic.resolve(request.topics(), problems);
        if (!problems.isEmpty()) {
            throw new ProblemException(400, "Bad Request", "The request is not valid: see violations.", problems);
        }
        String normalised = email.orElseThrow();
        return new Normalised(normalised, EmailAddresses.key(normalised), EmailAddresses.cleanName(request.name()),
                topics, topics.isEmpty(), frequency, timezone);
    }

    /**
     * Records a subscription and sends the confirmation mail when one is due. Known, active or suppressed addresses
     * get the same answer and nothing new.
     */
    @Transactional
    public void subscribe(Normalised input, SubscribeRequest request) {
        Instant now = clock.instant();
        Optional<Suppression> suppressed = Suppression.findByHash(suppressions.hash(input.key()));
        if (suppressed.isPresent() && suppressed.get().reason.needsEditor()) {
            Log.infof("Subscribe request for suppressed address %s ignored", Emails.mask(input.email()));
            return;
        }
        int inserted = em.createNativeQuery(SUBSCRIBE)
                .setParameter("email", input.email()).setParameter("key", input.key()).setParameter("all", input.allTopics())
                .setParameter("frequency", input.frequency().name()).setParameter("timezone", input.timezone())
                .setParameter("now", now).executeUpdate();
        // Concurrent submits of one address meet here: the row lock makes the second see what the first did.
        Subscriber s = Subscriber.<Subscriber> find("emailKey", input.key()).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult();
        boolean isNew = inserted == 1;
        switch (s.status) {
            case ACTIVE, BOUNCED, COMPLAINED, BLOCKED -> {
                return;
            }
            case UNSUBSCRIBED -> {
                s.status = SubscriberStatus.PENDING;
                s.confirmationCount = 0;
                s.confirmationSentAt = null;
                SubscriberEvent.record(s.id, "RESUBSCRIBE_REQUESTED", null, now);
            }
            case PENDING -> {
                if (isNew) {
                    SubscriberEvent.record(s.id, "SUBSCRIBED", describeSource(request), now);
                }
            }
        }
        applyChoices(s, input);
        s.consentSource = ConsentSource.FORM;
        s.consentVersion = config.consentVersion();
        s.consentAt = now;
        s.consentIpHash = request.visitorHash();
        s.sourceRef = bounded(request.ref(), 64);
        s.sourceUtmSource = bounded(request.utmSource(), 100);
        s.sourceUtmMedium = bounded(request.utmMedium(), 100);
        s.sourceUtmCampaign = bounded(request.utmCampaign(), 100);
        s.sourcePage = bounded(request.page(), 2000);
        s.updatedAt = now;
        if (isNew || s.confirmationCount == 0) {
            count("subscribes", s);
        }
        if (isNew) {
            events.created(s, "form");
        }
        // A new request starts the retries afresh: failures before it do not bring the reader closer to giving up.
        s.confirmationFailures = 0;
        confirmations.sendIfDue(s, now);
    }

    /** Looks at a confirmation link without using it (mail scanners follow GET links). */
    @Transactional
    public LinkState checkConfirmation(String token) {
        return confirmation(token).state();
    }

    /** What confirming did, and for which reader. */
    public record Confirmation(LinkState state, Long subscriberId) {
    }

    /** Confirms the subscription a link was sent for. */
    @Transactional
    public Confirmation confirm(String token) {
        Found found = confirmation(token);
        if (found.state() != LinkState.VALID) {
            return new Confirmation(found.state(), null);
        }
        Subscriber s = found.subscriber();
        Instant now = clock.instant();
        if (s.status != SubscriberStatus.ACTIVE) {
            count("confirmations", s);
        }
        s.status = SubscriberStatus.ACTIVE;
        s.confirmedAt = now;
        s.confirmationRetryAt = null;
        s.unsubscribedAt = null;
        s.updatedAt = now;
        suppressions.liftForNewOptIn(s.emailKey);
        SubscriberEvent.record(s.id, "CONFIRMED", null, now);
        events.confirmed(s);
        return new Confirmation(LinkState.VALID, s.id);
    }

    record Found(LinkState state, Subscriber subscriber) {
    }

    private Found confirmation(String token) {
        SignedTokens.Check check = tokens.check(token, SubscriberLinks.CONFIRM);
        if (check instanceof SignedTokens.Invalid) {
            return new Found(LinkState.INVALID, null);
        }
        if (check instanceof SignedTokens.Expired) {
            return new Found(LinkState.EXPIRED, null);
        }
        SignedTokens.Valid valid = (SignedTokens.Valid) check;
        Subscriber s = Subscriber.<Subscriber> findByIdOptional(valid.subject(), LockModeType.PESSIMISTIC_WRITE).orElse(null);
        if (s == null) {
            return new Found(LinkState.GONE, null);
        }
        return new Found(s.status == SubscriberStatus.PENDING ? LinkState.VALID : LinkState.USED, s);
    }

    /** The reader a preferences link belongs to, if it is valid. */
    @Transactional
    public Optional<Subscriber> forPreferences(String token) {
        if (!(tokens.check(token, SubscriberLinks.PREFERENCES) instanceof SignedTokens.Valid valid)) {
            return Optional.empty();
        }
        return Subscriber.findWithTopics(valid.subject())
                .filter(s -> s.status == SubscriberStatus.ACTIVE || s.status == SubscriberStatus.PENDING);
    }

    /** Why a preferences link does not work. */
    public LinkState preferencesLinkState(String token) {
        SignedTokens.Check check = tokens.check(token, SubscriberLinks.PREFERENCES);
        return check instanceof SignedTokens.Expired ? LinkState.EXPIRED
                : check instanceof SignedTokens.Invalid ? LinkState.INVALID : LinkState.GONE;
    }

    @Transactional
    public Subscriber updatePreferences(long subscriberId, Preferences choice) {
        Subscriber s = Subscriber.findWithTopics(subscriberId).orElseThrow(() -> ProblemException.notFound("Subscriber"));
        List<Problem.Violation> problems = new ArrayList<>();
        String timezone = timezone(choice.timezone(), problems);
        Set<Topic> topics = choice.allTopics() ? Set.of() : Topic.resolve(choice.topics(), problems);
        if (!choice.allTopics() && topics.isEmpty() && problems.isEmpty()) {
            problems.add(new Problem.Violation("topics", "choose at least one topic, or unsubscribe"));
        }
        if (choice.pauseWeeks() < 0 || choice.pauseWeeks() > 52) {
            problems.add(new Problem.Violation("pauseWeeks", "must be between 0 and 52"));
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(400, "Bad Request", "The request is not valid: see violations.", problems);
        }
        Instant now = clock.instant();
        String before = describe(s);
        s.name = EmailAddresses.cleanName(choice.name());
        s.allTopics = choice.allTopics();
        s.topics = new LinkedHashSet<>(topics);
        s.frequency = choice.frequency() == null ? s.frequency : choice.frequency();
        s.timezone = timezone;
        s.pausedUntil = choice.pauseWeeks() == 0 ? null : now.plus(Duration.ofDays(7L * choice.pauseWeeks()));
        s.updatedAt = now;
        String after = describe(s);
        if (!before.equals(after)) {
            SubscriberEvent.record(s.id, "PREFERENCES_CHANGED", after, now);
            events.updated(s, "reader");
        }
        return s;
    }

    /**
     * RFC 8058 one-click unsubscribe: takes effect before returning, and repeating it is harmless. A genuine link
     * whose reader is gone (erased) also counts as done.
     */
    @Transactional
    public LinkState unsubscribe(String token) {
        SignedTokens.Check check = tokens.check(token, SubscriberLinks.UNSUBSCRIBE);
        if (!(check instanceof SignedTokens.Valid valid)) {
            return check instanceof SignedTokens.Expired ? LinkState.EXPIRED : LinkState.INVALID;
        }
        Optional<Subscriber> found = Subscriber.findByIdOptional(valid.subject(), LockModeType.PESSIMISTIC_WRITE);
        if (found.isEmpty()) {
            return LinkState.VALID;
        }
        // Digests sign their issue into the token; other links carry 0.
        unsubscribe(found.get(), "one-click link", valid.nonce() > 0 ? valid.nonce() : null);
        return LinkState.VALID;
    }

    /**
     * The List-Unsubscribe mailto address: a mail whose subject reads {@code unsubscribe <token>} (as digests write it)
     * unsubscribes like the link. Empty when the subject holds no token.
     */
    public Optional<LinkState> unsubscribeByMail(String subject) {
        Matcher token = UNSUBSCRIBE_SUBJECT.matcher(subject == null ? "" : subject);
        return token.find() ? Optional.of(unsubscribe(token.group(1))) : Optional.empty();
    }

    /** Whether an unsubscribe link is genuine and current, without using it. */
    public LinkState checkUnsubscribe(String token) {
        SignedTokens.Check check = tokens.check(token, SubscriberLinks.UNSUBSCRIBE);
        return check instanceof SignedTokens.Valid ? LinkState.VALID
                : check instanceof SignedTokens.Expired ? LinkState.EXPIRED : LinkState.INVALID;
    }

    @Transactional
    public void unsubscribe(long subscriberId, String how) {
        Subscriber.<Subscriber> findByIdOptional(subscriberId, LockModeType.PESSIMISTIC_WRITE)
                .ifPresent(s -> unsubscribe(s, how, null));
    }

    /**
     * Unsubscribes an active reader who never answered the re-engagement mail, in the caller's transaction: the reader
     * leaves as by an unsubscribe ({@code subscriber.unsubscribed}, how "inactive") and the address is suppressed as
     * INACTIVE ({@code subscriber.suppressed}, reason "inactive"). False, and nothing done, when the reader is gone or
     * not active any more.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean unsubscribeInactive(long subscriberId, String detail) {
        Subscriber s = Subscriber.<Subscriber> findByIdOptional(subscriberId, LockModeType.PESSIMISTIC_WRITE).orElse(null);
        if (s == null || s.status != SubscriberStatus.ACTIVE) {
            return false;
        }
        Instant now = clock.instant();
        s.status = SubscriberStatus.UNSUBSCRIBED;
        s.unsubscribedAt = now;
        s.updatedAt = now;
        SubscriberEvent.record(s.id, "UNSUBSCRIBED", "inactive: " + detail, now);
        events.unsubscribed(s, "inactive");
        events.suppressed(s, SuppressionReason.INACTIVE);
        suppressions.suppress(s.email, SuppressionReason.INACTIVE, detail);
        return true;
    }

    private void unsubscribe(Subscriber s, String how, Long issueId) {
        if (s.status == SubscriberStatus.UNSUBSCRIBED) {
            return;
        }
        Instant now = clock.instant();
        if (s.status == SubscriberStatus.ACTIVE || s.status == SubscriberStatus.PENDING) {
            s.status = SubscriberStatus.UNSUBSCRIBED;
            s.unsubscribedAt = now;
            s.confirmationRetryAt = null;
            s.updatedAt = now;
            SubscriberEvent.record(s.id, "UNSUBSCRIBED", how, now, issueId);
            events.unsubscribed(s, how);
        }
        suppressions.suppress(s.email, SuppressionReason.UNSUBSCRIBED, null);
    }

    private void applyChoices(Subscriber s, Normalised input) {
        if (input.name() != null) {
            s.name = input.name();
        }
        s.allTopics = input.allTopics();
        s.topics = new LinkedHashSet<>(input.topics());
        s.frequency = input.frequency();
        s.timezone = input.timezone();
    }

    private String timezone(String value, List<Problem.Violation> problems) {
        if (value == null || value.isBlank()) {
            return config.defaultTimezone();
        }
        try {
            return ZoneId.of(value.trim()).getId();
        } catch (DateTimeException e) {
            problems.add(new Problem.Violation("timezone", "is not a known time zone (use a name such as Europe/Paris)"));
            return config.defaultTimezone();
        }
    }

    private static String describe(Subscriber s) {
        return "topics=" + (s.allTopics ? "all" : s.topics.stream().map(t -> t.slug).collect(Collectors.joining(",")))
                + " frequency=" + s.frequency + " timezone=" + s.timezone
                + (s.pausedUntil == null ? "" : " paused until " + s.pausedUntil) + (s.name == null ? "" : " name set");
    }

    private static String describeSource(SubscribeRequest r) {
        StringBuilder source = new StringBuilder("form");
        if (r.ref() != null) {
            source.append(" ref=").append(r.ref());
        }
        if (r.utmSource() != null) {
            source.append(" utm_source=").append(r.utmSource());
        }
        return source.toString();
    }

    private static String bounded(String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String clean = value.replaceAll("\\p{Cc}", "").strip();
        return clean.length() <= max ? clean : clean.substring(0, max);
    }
}
