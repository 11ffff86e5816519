package dev.gazette.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Singleton;

import io.agroal.api.AgroalDataSource;

/**
 * Empties every application table between tests. Flyway's history and the scheduler's own tables stay.
 */
@Singleton
public class DatabaseCleaner {

    private final AgroalDataSource dataSource;
    private String truncate;

    DatabaseCleaner(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void clean() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            if (truncate == null) {
                List<String> tables = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery("select tablename from pg_tables where schemaname = current_schema()"
                        + " and tablename not like 'flyway%' and tablename not like 'qrtz%'")) {
                    while (rs.next()) {
                        tables.add('"' + rs.getString(1) + '"');
                    }
                }
                truncate = tables.isEmpty() ? "" : "truncate table " + String.join(", ", tables) + " restart identity cascade";
            }
            if (!truncate.isEmpty()) {
                statement.execute(truncate);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot clean the test database", e);
        }
    }
}
