package dev.gazette.admin;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gazette.common.SignedTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;

/**
 * Signing in with a name and password, by the editor UI's form or HTTP Basic on the token endpoint: throttled
 * ({@link SignInThrottle}), logged and counted. Every refusal looks the same to the client whether or not the name
 * exists; a throttled attempt does not have its password checked at all.
 */
@ApplicationScoped
public class SignInService {

    /** How the name and password came. */
    public enum Via {
        FORM, BASIC;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What an attempt came to. */
    public sealed interface Outcome {
    }

    /** The name and password match: the user is signed in. */
    public record SignedIn(User user) implements Outcome {
    }

    /** They do not (or the name is unknown: the client is not told which). */
    public record Refused() implements Outcome {
    }

    /** Too many failures lately: try again after this long. The password was not checked. */
    public record Throttled(Duration retryAfter) implements Outcome {
    }

    private static final String CLIENT_DOMAIN = "sign-in client";
    private static final String ACCOUNT_DOMAIN = "sign-in account";
    private static final String PAIR_DOMAIN = "sign-in pair";
    /** Hex digits of the client key shown in logs: enough to follow one client, useless to find its address. */
    private static final int LOGGED_KEY_LENGTH = 12;

    private final UserService users;
    private final SignInThrottle throttle;
    private final SignedTokens tokens;
    private final MeterRegistry metrics;

    SignInService(UserService users, SignInThrottle throttle, SignedTokens tokens, MeterRegistry metrics) {
        this.users = users;
        this.throttle = throttle;
        this.tokens = tokens;
        this.metrics = metrics;
    }

    /** One sign-in attempt from the client at this address (as Quarkus sees it: behind a proxy, when forwarding is on). */
    public Outcome attempt(String username, String password, String clientAddress, Via via) {
        String account = username == null ? "" : username.trim().toLowerCase(Locale.ROOT);
        String client = clientKey(clientAddress);
        SignInThrottle.Subjects subjects = new SignInThrottle.Subjects(account, tokens.keyedHash(ACCOUNT_DOMAIN, account),
                client, tokens.keyedHash(PAIR_DOMAIN, account + '\n' + client));
        Optional<Duration> wait = throttle.claim(subjects);
        if (wait.isPresent()) {
            metrics.counter("gazette_login_throttled_total", "via", via.label()).increment();
            Log.debugf("Throttled sign-in to '%s' from client %s via %s", loggable(account), logged(client), via.label());
            return new Throttled(wait.get());
        }
        UserService.Verification verification = users.check(username, password);
        if (verification.user().isPresent()) {
            User user = verification.user().get();
            throttle.succeeded(subjects, user.id);
            return new SignedIn(user);
        }
        metrics.counter("gazette_login_failures_total", "reason", verification.refusal(), "via", via.label()).increment();
        Log.infof("Failed sign-in to '%s' from client %s via %s: %s", loggable(account), logged(client), via.label(),
                verification.refusal().replace('_', ' '));
        return new Refused();
    }

    /**
     * The keyed hash a client is known by, never its address: an IPv4 address, or an IPv6 address's /64 network (one
     * machine commonly holds a whole /64, so counting single IPv6 addresses would count nothing).
     */
    String clientKey(String address) {
        String network = address == null || address.isEmpty() ? "unknown" : address;
        if (network.indexOf(':') >= 0) {
            try {
                // a text with a colon is parsed as an IPv6 literal, never looked up in DNS
                InetAddress parsed = InetAddress.getByName(network);
                byte[] prefix = parsed.getAddress();
                if (prefix.length == 16) {
                    Arrays.fill(prefix, 8, 16, (byte) 0);
                    network = InetAddress.getByAddress(prefix).getHostAddress() + "/64";
                } else {
                    network = parsed.getHostAddress(); // an IPv4-mapped address is its IPv4 address
                }
            } catch (UnknownHostException e) {
                // not an address: counted under its text
            }
        }
        return tokens.keyedHash(CLIENT_DOMAIN, network);
    }

    private static String logged(String clientKey) {
        return clientKey.substring(0, LOGGED_KEY_LENGTH);
    }

    /** A name as typed by anyone: no line breaks or control characters into the log, and not too long. */
    private static String loggable(String account) {
        String clean = account.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() > 100 ? clean.substring(0, 100) + "…" : clean;
    }
}
