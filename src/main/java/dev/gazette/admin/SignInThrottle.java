package dev.gazette.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Counts failed sign-ins in the database, per account and client, per client and per account, so that guessing gets
 * slower on every instance at once and across restarts. Each attempt is counted as a failure before its password is
 * checked (and forgiven when it was right): many attempts sent at the same moment cannot all slip through before the
 * first failure is written.
 */
@ApplicationScoped
public class SignInThrottle {

    /** Whom a count is about. */
    enum Scope {
        PAIR, CLIENT, ACCOUNT;

        String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The subjects of one attempt: the account's name as typed (normalised), and keyed hashes. */
    public record Subjects(String accountName, String account, String client, String pair) {
    }

    /** Epoch milliseconds until which the subject is blocked, when it is. */
    static final String BLOCKED_UNTIL = """
            select cast(extract(epoch from blocked_until) * 1000 as bigint) from sign_in_failure
             where scope = :scope and subject = :subject and blocked_until > :now and last_failure_at >= :forgetBefore""";

    /** Counts one more failure, unless the subject is blocked; a count older than forget-after starts again at one. */
    static final String CLAIM = """
            insert into sign_in_failure as f (scope, subject, failures, last_failure_at, blocked_until)
            values (:scope, :subject, 1, :now, :now)
            on conflict (scope, subject) do update
               set failures = case when f.last_failure_at < :forgetBefore then 1 else f.failures + 1 end,
                   last_failure_at = :now
             where f.blocked_until <= :now or f.last_failure_at < :forgetBefore
            returning failures""";

    static final String BLOCK = "update sign_in_failure set blocked_until = :until where scope = :scope and subject = :subject";

    static final String FORGIVE = """
            update sign_in_failure set failures = greatest(failures - 1, 0) where scope = :scope and subject = :subject""";

    static final String CLEAR = "delete from sign_in_failure where scope = :scope and subject = :subject";

    static final String KNOWN_CLIENT = """
            select count(*) from sign_in_known_client c join app_user u on u.id = c.user_id
             where u.username = :account and c.client = :client and c.last_success_at >= :since""";

    static final String REMEMBER_CLIENT = """
            insert into sign_in_known_client (user_id, client, last_success_at) values (:user, :client, :now)
            on conflict (user_id, client) do update set last_success_at = excluded.last_success_at""";

    static final String PURGE = "delete from sign_in_failure where last_failure_at < :forgetBefore";

    static final String PURGE_CLIENTS = "delete from sign_in_known_client where last_success_at < :since";

    private final AdminConfig.SignIn config;
    private final EntityManager em;
    private final Clock clock;

    SignInThrottle(AdminConfig config, EntityManager em, Clock clock) {
        this.config = config.signIn();
        this.em = em;
        this.clock = clock;
    }

    /**
     * Counts an attempt before its password is checked; empty when it may go ahead, otherwise how long until the next
     * attempt of one of its subjects may. A throttled attempt counts nothing. A client that signed in to the account
     * lately is spared the account's own count.
     */
    @Transactional
    public Optional<Duration> claim(Subjects subjects) {
        Instant now = clock.instant();
        Instant forgetBefore = now.minus(config.forgetAfter());
        List<Scope> scopes = new ArrayList<>(List.of(Scope.PAIR, Scope.CLIENT));
        if (!known(subjects, now)) {
            scopes.add(Scope.ACCOUNT);
        }
        Optional<Instant> blocked = blockedUntil(scopes, subjects, now, forgetBefore);
        if (blocked.isPresent()) {
            return blocked.map(until -> wait(now, until));
        }
        for (Scope scope : scopes) {
            List<?> counted = em.createNativeQuery(CLAIM).setParameter("scope", scope.column())
                    .setParameter("subject", subject(scope, subjects)).setParameter("now", now)
                    .setParameter("forgetBefore", forgetBefore).getResultList();
            if (counted.isEmpty()) {
                // blocked by an attempt that was counted meanwhile: count none of this one
                QuarkusTransaction.setRollbackOnly();
                return Optional.of(Duration.ofSeconds(1));
            }
            int failures = ((Number) counted.get(0)).intValue();
            int free = free(scope);
            if (failures >= free) {
                Instant until = now.plus(backOff(failures - free));
                em.createNativeQuery(BLOCK).setParameter("until", until).setParameter("scope", scope.column())
                        .setParameter("subject", subject(scope, subjects)).executeUpdate();
                if (failures == free) {
                    Log.warnf("Sign-in throttle: %s %s has failed %d times; further attempts wait", scope.column(),
                            subject(scope, subjects).substring(0, 12), failures);
                }
            }
        }
        return Optional.empty();
    }

    /** The claimed attempt was right: it is no failure, the account and client start afresh, and the client is known. */
    @Transactional
    public void succeeded(Subjects subjects, long userId) {
        Instant now = clock.instant();
        em.createNativeQuery(CLEAR).setParameter("scope", Scope.PAIR.column()).setParameter("subject", subjects.pair())
                .executeUpdate();
        for (Scope scope : List.of(Scope.CLIENT, Scope.ACCOUNT)) {
            em.createNativeQuery(FORGIVE).setParameter("scope", scope.column()).setParameter("subject", subject(scope, subjects))
                    .executeUpdate();
        }
        em.createNativeQuery(REMEMBER_CLIENT).setParameter("user", userId).setParameter("client", subjects.client())
                .setParameter("now", now).executeUpdate();
    }

    /** Forgets failures older than forget-after and clients not seen within known-client-for. */
    @Scheduled(identity = "purge-sign-in-failures", every = "${gazette.admin.sign-in.forget-after:PT1H}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    public void purge() {
        Instant now = clock.instant();
        int failures = em.createNativeQuery(PURGE).setParameter("forgetBefore", now.minus(config.forgetAfter())).executeUpdate();
        int clients = em.createNativeQuery(PURGE_CLIENTS).setParameter("since", now.minus(config.knownClientFor())).executeUpdate();
        Log.debugf("Sign-in throttle: forgot %d failure counts and %d known clients", failures, clients);
    }

    /** The wait after the given number of failures beyond the free ones: 1 s, doubling, up to max-back-off. */
    Duration backOff(int beyondFree) {
        Duration max = config.maxBackOff();
        return beyondFree >= 40 ? max : min(Duration.ofSeconds(1L << beyondFree), max);
    }

    private boolean known(Subjects subjects, Instant now) {
        Number count = (Number) em.createNativeQuery(KNOWN_CLIENT).setParameter("account", subjects.accountName())
                .setParameter("client", subjects.client()).setParameter("since", now.minus(config.knownClientFor()))
                .getSingleResult();
        return count.longValue() > 0;
    }

    private Optional<Instant> blockedUntil(List<Scope> scopes, Subjects subjects, Instant now, Instant forgetBefore) {
        Instant latest = null;
        for (Scope scope : scopes) {
            List<?> rows = em.createNativeQuery(BLOCKED_UNTIL).setParameter("scope", scope.column())
                    .setParameter("subject", subject(scope, subjects)).setParameter("now", now)
                    .setParameter("forgetBefore", forgetBefore).getResultList();
            for (Object row : rows) {
                Instant until = Instant.ofEpochMilli(((Number) row).longValue());
                latest = latest == null || until.isAfter(latest) ? until : latest;
            }
        }
        return Optional.ofNullable(latest);
    }

    private int free(Scope scope) {
        return switch (scope) {
            case PAIR -> config.freeAttempts();
            case CLIENT -> config.clientFreeAttempts();
            case ACCOUNT -> config.accountFreeAttempts();
        };
    }

    private static String subject(Scope scope, Subjects subjects) {
        return switch (scope) {
            case PAIR -> subjects.pair();
            case CLIENT -> subjects.client();
            case ACCOUNT -> subjects.account();
        };
    }

    /** Whole seconds, rounded up, at least one: what Retry-After says. */
    private static Duration wait(Instant now, Instant until) {
        long millis = Duration.between(now, until).toMillis();
        return Duration.ofSeconds(Math.max(1, (millis + 999) / 1000));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
