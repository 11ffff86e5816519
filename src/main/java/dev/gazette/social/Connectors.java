package dev.gazette.social;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import dev.gazette.social.spi.Connector;

/**
 * The connector of each network, found among the CDI beans implementing {@link Connector}.
 */
@Singleton
public class Connectors {

    private final Map<Network, Connector> byNetwork = new EnumMap<>(Network.class);

    Connectors(@Any Instance<Connector> all) {
        for (Connector c : all) {
            if (byNetwork.put(c.network(), c) != null) {
                throw new IllegalStateException("Two connectors for " + c.network());
            }
        }
    }

    public Optional<Connector> find(Network network) {
        return Optional.ofNullable(byNetwork.get(network));
    }

    public Connector get(Network network) {
        return find(network).orElseThrow(() -> new IllegalStateException("No connector for " + network));
    }
}
