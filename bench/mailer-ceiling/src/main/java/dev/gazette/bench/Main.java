package dev.gazette.bench;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Reads the settings before Quarkus starts, so that the mailer's pool is sized from the concurrency argument.
 * Arguments are {@code key=value} ({@code count=20000 size=6144 concurrency=16 host=127.0.0.1 port=2525 warmup=1000})
 * or system properties {@code -Dceiling.count=20000} and so on; arguments win.
 */
@QuarkusMain
public class Main {

    public static void main(String... args) {
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0 || !Settings.KEYS.contains(arg.substring(0, eq))) {
                System.err.println("unknown argument " + arg + ": expected key=value with key one of " + Settings.KEYS);
                System.exit(2);
            }
            System.setProperty(Settings.PREFIX + arg.substring(0, eq), arg.substring(eq + 1));
        }
        Settings settings = Settings.fromSystemProperties();
        setUnlessGiven("quarkus.mailer.host", settings.host());
        setUnlessGiven("quarkus.mailer.port", Integer.toString(settings.port()));
        setUnlessGiven("quarkus.mailer.max-pool-size", Integer.toString(settings.concurrency()));
        Quarkus.run(MailerCeiling.class, args);
    }

    private static void setUnlessGiven(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
