package dev.gazette.common.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

import org.postgresql.Driver;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The few settings read before Quarkus starts, from the same sources a user configures Quarkus with
 * (system properties, environment variables, {@code config/application.properties}, the packaged defaults).
 */
public record StartupConfig(Optional<String> jdbcUrl, Optional<String> username, Optional<String> password,
        Path dataDir, int embeddedPort, Duration connectTimeout,
        Optional<String> tokenSigningKey, Optional<String> credentialKey) {

    public static StartupConfig load() {
        SmallRyeConfig config = build();
        return new StartupConfig(
                nonBlank(config, "quarkus.datasource.jdbc.url"),
                nonBlank(config, "quarkus.datasource.username"),
                config.getOptionalValue("quarkus.datasource.password", String.class),
                Path.of(nonBlank(config, "gazette.data.dir").orElse("data")),
                config.getOptionalValue("gazette.data.embedded-port", Integer.class).orElse(0),
                config.getOptionalValue("gazette.data.connect-timeout", Duration.class).orElse(Duration.ofSeconds(30)),
                nonBlank(config, SecretNames.TOKEN_SIGNING_KEY),
                nonBlank(config, SecretNames.CREDENTIAL_KEY));
    }

    private static SmallRyeConfig build() {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .addDefaultSources()
                .addDefaultInterceptors()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withProfile(System.getProperty("quarkus.profile",
                        Optional.ofNullable(System.getenv("QUARKUS_PROFILE")).orElse("prod")));
        try {
            URL packaged = Thread.currentThread().getContextClassLoader().getResource("application.properties");
            if (packaged != null) {
                builder.withSources(new PropertiesConfigSource(packaged, 250));
            }
            Path local = Path.of("config", "application.properties");
            if (Files.isRegularFile(local)) {
                builder.withSources(new PropertiesConfigSource(local.toUri().toURL(), 260));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return builder.build();
    }

    private static Optional<String> nonBlank(SmallRyeConfig config, String name) {
        return config.getOptionalValue(name, String.class).map(String::trim).filter(s -> !s.isEmpty());
    }

    /**
     * Connects once to the configured database, retrying while it is unreachable for up to the connect timeout.
     *
     * @return null when the database answers, otherwise a message naming the setting to fix
     */
    public String checkExternalDatabase() {
        String url = jdbcUrl.orElseThrow();
        Properties props = new Properties();
        username.ifPresent(u -> props.setProperty("user", u));
        password.ifPresent(p -> props.setProperty("password", p));
        props.setProperty("connectTimeout", "5");
        props.setProperty("loginTimeout", "10");
        long deadline = System.nanoTime() + connectTimeout.toNanos();
        Driver driver = new Driver();
        while (true) {
            try (Connection connection = driver.connect(url, props)) {
                if (connection == null) {
                    return "QUARKUS_DATASOURCE_JDBC_URL (quarkus.datasource.jdbc.url) is not a PostgreSQL JDBC URL: " + url;
                }
                return null;
            } catch (SQLException e) {
                String state = e.getSQLState() == null ? "" : e.getSQLState();
                if (state.startsWith("28")) {
                    return "PostgreSQL at " + url + " rejected the credentials: check QUARKUS_DATASOURCE_USERNAME and "
                            + "QUARKUS_DATASOURCE_PASSWORD (" + e.getMessage() + ")";
                }
                if (!state.startsWith("08") || System.nanoTime() > deadline) {
                    return "Gazette cannot use the database at QUARKUS_DATASOURCE_JDBC_URL=" + url + ": " + e.getMessage()
                            + " (waited up to " + connectTimeout.toSeconds() + " s, GAZETTE_DATA_CONNECT_TIMEOUT)";
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return "Interrupted while waiting for the database at " + url;
                }
            }
        }
    }
}
