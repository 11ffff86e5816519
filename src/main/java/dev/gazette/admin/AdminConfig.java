package dev.gazette.admin;

import java.time.Duration;
import java.util.Optional;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The first administrator, created on first start when there is none, the editor UI's sessions, password hashing and
 * the throttle that makes guessing passwords slow.
 */
@ConfigMapping(prefix = "gazette.admin")
public interface AdminConfig {

    /** Whether to create the first administrator at start-up when none exists. */
    @WithDefault("true")
    boolean bootstrap();

    /** User name of the first administrator. */
    @WithDefault("admin")
    String username();

    /** Password of the first administrator (12 characters to 72 bytes); when unset, one is generated and printed once. */
    Optional<String> password();

    /** Editor UI sessions end after this much inactivity (and at logout, a password change or the user's removal). */
    @WithDefault("PT2H")
    Duration sessionTimeout();

    /** bcrypt cost of new password hashes (each step doubles the work); older, cheaper hashes are redone at sign-in. */
    @WithDefault("12")
    @Min(4)
    @Max(20)
    int passwordCost();

    /** The sign-in throttle, shared by the editor UI's form and HTTP Basic on the token endpoint. */
    SignIn signIn();

    /** Free attempts, then a wait that doubles with each failure; counts are kept in the database. */
    interface SignIn {

        /** Failures of one account from one client before each further attempt must wait. */
        @WithDefault("5")
        int freeAttempts();

        /** Failures from one client, whatever the accounts, before each further attempt must wait. */
        @WithDefault("20")
        int clientFreeAttempts();

        /** Failures of one account from all clients before attempts from unknown clients must wait. */
        @WithDefault("100")
        int accountFreeAttempts();

        /** The longest wait: the first is one second, each failure beyond the free attempts doubles it up to this. */
        @WithDefault("PT15M")
        Duration maxBackOff();

        /** Failures are forgotten after this long without another one. */
        @WithDefault("PT1H")
        Duration forgetAfter();

        /** A client that signed in to an account within this time is spared that account's throttle. */
        @WithDefault("P30D")
        Duration knownClientFor();
    }
}
