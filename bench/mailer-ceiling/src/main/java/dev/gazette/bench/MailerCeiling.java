package dev.gazette.bench;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.runtime.QuarkusApplication;
import io.smallrye.mutiny.Multi;

/**
 * Sends copies of one pre-rendered digest to r0..r(count-1)@bench.invalid through the ReactiveMailer, at most
 * {@code concurrency} in flight, after an untimed warm-up to w0..@bench.invalid; prints one result line on stdout.
 */
public class MailerCeiling implements QuarkusApplication {

    @Inject
    ReactiveMailer mailer;

    @ConfigProperty(name = "quarkus.mailer.max-pool-size")
    int poolSize;

    @ConfigProperty(name = "quarkus.mailer.pipelining")
    boolean pipelining;

    @ConfigProperty(name = "quarkus.mailer.max-mails-per-connection", defaultValue = "0")
    long maxMailsPerConnection;

    @Override
    public int run(String... args) {
        Settings s = Settings.fromSystemProperties();
        Digest digest = Digest.render(s.size());
        System.err.printf("mailer-ceiling: %d messages (+%d warm-up) of %d bytes (html %d + text %d) to %s:%d, "
                        + "%d in flight, pool %d, pipelining %s, max-mails-per-connection %s%n",
                s.count(), s.warmup(), digest.html().length() + digest.text().length(), digest.html().length(),
                digest.text().length(), s.host(), s.port(), s.concurrency(), poolSize, pipelining,
                maxMailsPerConnection > 0 ? maxMailsPerConnection : "unlimited");

        long start = System.nanoTime();
        Result warm = send(digest, "w", s.warmup(), s.concurrency());
        System.err.printf("mailer-ceiling: warm-up %d sent, %d failed in %.2f s%n", warm.sent(), warm.failed(),
                (System.nanoTime() - start) / 1e9);

        long cpuStart = processCpuNanos();
        start = System.nanoTime();
        Result main = send(digest, "r", s.count(), s.concurrency());
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuMicrosPerMessage = (processCpuNanos() - cpuStart) / 1e3 / Math.max(1, main.sent());
        if (main.failed() > 0) {
            System.err.println("mailer-ceiling: " + main.failed() + " sends failed, first: " + main.firstError());
        }
        // CPU per message (user + system, all threads) varies less than the rate on a shared machine.
        System.out.printf("mailer-ceiling messages=%d seconds=%.2f msgs_per_s=%.0f cpu_us_per_msg=%.0f failed=%d%n",
                main.sent(), seconds, main.sent() / seconds, cpuMicrosPerMessage, main.failed());
        return main.failed() == 0 && warm.failed() == 0 ? 0 : 1;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private Result send(Digest digest, String prefix, int count, int concurrency) {
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        long sent = Multi.createFrom().range(0, count)
                .onItem().transformToUni(i -> mailer.send(digest.to(prefix + i + "@bench.invalid"))
                        .replaceWith(1)
                        .onFailure().recoverWithItem(e -> {
                            failed.incrementAndGet();
                            firstError.compareAndSet(null, e);
                            return 0;
                        }))
                .merge(concurrency)
                .collect().with(Collectors.summingLong(Integer::longValue))
                .await().indefinitely();
        return new Result(sent, failed.get(), firstError.get());
    }

    private record Result(long sent, int failed, Throwable firstError) {
    }

    /** One rendered digest: the same HTML, text and headers for every recipient, only the To differs. */
    record Digest(String subject, String html, String text) {

        static final String FROM = "Gazette Digest <digest@bench.invalid>";

        static final String SUMMARY = "The heatwave of this summer broke records in many cities: what the new highs"
                + " mean for water, for farms and for the people who live under the hottest roofs, and what city"
                + " halls plan to do before the next one.";

        /**
         * {@code size} bytes of HTML and text together (a third text), ASCII, lines wrapped at 72 characters as a
         * mail renderer would: the mailer writes one line per socket write, so the line count matters as much as
         * the byte count.
         */
        static Digest render(int size) {
            int textSize = size / 3;
            String html = fill("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Weekly digest</title>"
                            + "</head>\n<body style=\"font-family:sans-serif\">\n<h1>This week in Gazette</h1>\n",
                    n -> "<h2><a href=\"https://gazette.bench.invalid/r/abc" + n + "\">Article " + n
                            + ": what the records mean</a></h2>\n" + wrap("<p>" + SUMMARY + "</p>"),
                    "<p><a href=\"https://gazette.bench.invalid/unsubscribe\">Unsubscribe</a></p>\n</body></html>\n",
                    size - textSize);
            String text = fill("This week in Gazette\n====================\n\n",
                    n -> "Article " + n + ": what the records mean\nhttps://gazette.bench.invalid/r/abc" + n
                            + "\n" + wrap(SUMMARY) + "\n",
                    "Unsubscribe: https://gazette.bench.invalid/unsubscribe\n", textSize);
            return new Digest("Weekly digest: the heatwave and 11 more stories", html, text);
        }

        private static String wrap(String paragraph) {
            StringBuilder out = new StringBuilder();
            int lineStart = 0;
            for (String word : paragraph.split(" ")) {
                if (out.length() > lineStart && out.length() - lineStart + 1 + word.length() > 72) {
                    out.append('\n');
                    lineStart = out.length();
                } else if (out.length() > lineStart) {
                    out.append(' ');
                }
                out.append(word);
            }
            return out.append('\n').toString();
        }

        /** head, as many items as fit, padding lines, foot: exactly {@code size} characters when head and foot fit. */
        private static String fill(String head, java.util.function.IntFunction<String> item, String foot, int size) {
            StringBuilder out = new StringBuilder(head);
            for (int n = 1; ; n++) {
                String next = item.apply(n);
                if (out.length() + next.length() + foot.length() > size) {
                    break;
                }
                out.append(next);
            }
            while (out.length() + foot.length() < size) {
                int room = size - foot.length() - out.length();
                out.append("-".repeat(Math.min(room, 72) - 1)).append('\n');
            }
            return out.append(foot).toString();
        }

        Mail to(String recipient) {
            return new Mail()
                    .setFrom(FROM)
                    .addTo(recipient)
                    .setSubject(subject)
                    .setHtml(html)
                    .setText(text)
                    .addHeader("List-Unsubscribe",
                            "<https://gazette.bench.invalid/unsubscribe/one-click/bench-token>, "
                                    + "<mailto:unsubscribe@bench.invalid?subject=unsubscribe>")
                    .addHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
                    .addHeader("List-Id", "Gazette digest <digest.gazette.bench.invalid>")
                    .addHeader("Precedence", "bulk")
                    .addHeader("Auto-Submitted", "auto-generated");
        }
    }
}
