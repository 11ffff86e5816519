package dev.gazette.common;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while PostgreSQL answers a query within a few seconds. It opens a connection of its own with connect and
 * socket timeouts rather than borrowing one from the pool: a frozen or unreachable server then makes the check answer
 * DOWN in time instead of hanging, and the check comes back UP by itself when the server does.
 */
@Readiness
@ApplicationScoped
public class DatabaseHealthCheck implements HealthCheck {

    static final String NAME = "Database";
    /** Seconds for each of connecting, logging in and the query. */
    static final int TIMEOUT_SECONDS = 3;

    private final DirectConnections connections;

    DatabaseHealthCheck(DirectConnections connections) {
        this.connections = connections;
    }

    @Override
    public HealthCheckResponse call() {
        long start = System.nanoTime();
        try (Connection connection = connections.open("Gazette health check", TIMEOUT_SECONDS);
                Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(TIMEOUT_SECONDS);
            statement.execute("select 1");
            return HealthCheckResponse.named(NAME).up()
                    .withData("millis", (System.nanoTime() - start) / 1_000_000).build();
        } catch (SQLException e) {
            return HealthCheckResponse.named(NAME).down()
                    .withData("error", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    .withData("setting", "QUARKUS_DATASOURCE_JDBC_URL").build();
        }
    }
}
