package dev.gazette.social.spi;

import java.util.Optional;

/**
 * Where a connector keeps a session between posts (Bluesky's access and refresh tokens), encrypted at rest with
 * the channel's credentials. Connectors must not log in per post.
 */
public interface SessionStore {

    Optional<String> load();

    void save(String session);

    void clear();

    /** A store that lives only in memory, for tests and previews. */
    static SessionStore inMemory() {
        return new SessionStore() {
            private volatile String value;

            @Override
            public Optional<String> load() {
                return Optional.ofNullable(value);
            }

            @Override
            public void save(String session) {
                value = session;
            }

            @Override
            public void clear() {
                value = null;
            }
        };
    }
}
