package dev.gazette.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseTest {

    @TempDir
    Path dir;

    @Test
    void shouldKeepDataAcrossRestarts() throws SQLException {
        Path data = dir.resolve("pg");
        try (EmbeddedDatabase first = EmbeddedDatabase.start(data, 0);
                Connection connection = DriverManager.getConnection(first.jdbcUrl(), EmbeddedDatabase.USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute("create table kept (name text)");
            statement.execute("insert into kept values ('still here')");
        }
        try (EmbeddedDatabase second = EmbeddedDatabase.start(data, 0);
                Connection connection = DriverManager.getConnection(second.jdbcUrl(), EmbeddedDatabase.USER, "");
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("select name, current_setting('server_version_num')::int / 10000 from kept")) {
            rs.next();
            assertEquals("still here", rs.getString(1));
            assertEquals(17, rs.getInt(2));
        }
    }
}
