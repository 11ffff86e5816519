package dev.gazette.digest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gazette.common.SignedTokens;
import io.quarkus.logging.Log;

/**
 * Records the first open of a digest whose newsletter asked for an open-tracking pixel. The pixel's token is signed:
 * nobody can mark someone else's delivery as opened.
 */
@ApplicationScoped
public class OpenTracker {

    private final SignedTokens tokens;
    private final DataSource dataSource;
    private final Clock clock;

    OpenTracker(SignedTokens tokens, DataSource dataSource, Clock clock) {
        this.tokens = tokens;
        this.dataSource = dataSource;
        this.clock = clock;
    }

    public boolean record(String token) {
        if (!(tokens.check(token, DigestAssembler.OPEN_PURPOSE) instanceof SignedTokens.Valid valid)) {
            return false;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement update = c.prepareStatement(
                        "update delivery set opened_at = ? where id = ? and opened_at is null and status = 'SENT'")) {
            update.setTimestamp(1, Timestamp.from(clock.instant()));
            update.setLong(2, valid.subject());
            return update.executeUpdate() == 1;
        } catch (SQLException e) {
            Log.warnf(e, "Recording an open failed");
            return false;
        }
    }
}
