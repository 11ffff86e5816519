package dev.gazette.mail;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;

/**
 * Makes every mail that could not be sent visible: counted in {@code gazette_mail_send_failures_total{kind,reason}}
 * and, when the SMTP server could not be reached or stopped answering, logged at WARN with what the message was.
 * During an outage every message fails the same way; one line per kind and reason every
 * {@link #QUIET_SECONDS} seconds says how many more there were, instead of one line each.
 */
@Singleton
public class SendFailures {

    static final long QUIET_SECONDS = 10;

    private final MeterRegistry metrics;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** When a kind and reason last logged, and how many failures it has held back since. */
    private static final class Window {
        final AtomicLong loggedAt = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong heldBack = new AtomicLong();
    }

    SendFailures(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    /**
     * Records a failed send.
     *
     * @param kind    what was sent, for the metric: digest, confirmation, test, preview...
     * @param what    the message in words for the log, for example "digest delivery 42" (never a full address)
     * @param failure why it failed
     */
    public void record(String kind, String what, Throwable failure) {
        String reason = reason(failure);
        metrics.counter("gazette_mail_send_failures_total", "kind", kind, "reason", reason).increment();
        if (!reason.equals("timeout") && !reason.equals("connect")) {
            return; // a refusal or a bad message is the caller's to record (the delivery ledger, the subscriber's events)
        }
        Window window = windows.computeIfAbsent(kind + "/" + reason, k -> new Window());
        long now = System.nanoTime();
        long last = window.loggedAt.get();
        if (last != Long.MIN_VALUE && now - last < TimeUnit.SECONDS.toNanos(QUIET_SECONDS)
                || !window.loggedAt.compareAndSet(last, now)) {
            window.heldBack.incrementAndGet();
            return;
        }
        long more = window.heldBack.getAndSet(0);
        Log.warnf("Not sent (%s): %s: %s%s", reason, what, message(failure),
                more > 0 ? " (and " + more + " more " + kind + " messages like it in the last " + QUIET_SECONDS + " s)" : "");
    }

    /** timeout, connect, refused (an SMTP reply), or error (anything else, a message that cannot be sent as it is). */
    static String reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SmtpUnavailable unavailable) {
                return unavailable.reason().label();
            }
            if (t instanceof SmtpRefusal || t instanceof io.vertx.ext.mail.SMTPException) {
                return "refused";
            }
            if (t instanceof java.util.concurrent.TimeoutException || t instanceof io.smallrye.mutiny.TimeoutException
                    || t instanceof java.net.SocketTimeoutException) {
                return "timeout";
            }
            if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
                    || t instanceof java.net.NoRouteToHostException) {
                return "connect";
            }
        }
        return "error";
    }

    private static String message(Throwable failure) {
        Throwable t = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.replaceAll("[\\r\\n]+", " ");
    }
}
