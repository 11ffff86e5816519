package dev.gazette.common;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Connections of their own to the configured database, outside the pool, for work that must not borrow a pooled
 * one: a health check that has to answer within its timeout, a backup session that holds server-side state.
 */
@ApplicationScoped
public class DirectConnections {

    private final String url;
    private final Optional<String> username;
    private final Optional<String> password;

    DirectConnections(@ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.url = url;
        this.username = username;
        this.password = password;
    }

    /**
     * Opens a connection named {@code applicationName} in {@code pg_stat_activity}.
     *
     * @param timeoutSeconds for connecting, logging in and each read; 0 for none
     */
    public Connection open(String applicationName, int timeoutSeconds) throws SQLException {
        Properties properties = new Properties();
        username.ifPresent(u -> properties.setProperty("user", u));
        password.ifPresent(p -> properties.setProperty("password", p));
        properties.setProperty("ApplicationName", applicationName);
        if (timeoutSeconds > 0) {
            String seconds = Integer.toString(timeoutSeconds);
            properties.setProperty("connectTimeout", seconds);
            properties.setProperty("loginTimeout", seconds);
            properties.setProperty("socketTimeout", seconds);
        }
        return DriverManager.getConnection(url, properties);
    }
}
