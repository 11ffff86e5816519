package dev.gazette.common;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.apache.hc.client5.http.DnsResolver;

/**
 * The name resolution of every client that requests URLs typed by users (feeds, channels, webhooks): it resolves a
 * host once, refuses the connection when any answer is not public, and hands the client exactly the addresses it
 * checked. The client connects to those, so a name that answers a public address to a check and a private one to the
 * connection (DNS rebinding) cannot reach an internal service.
 */
public final class PublicAddressResolver implements DnsResolver {

    /** A name lookup; the system's resolver, or a fake one in tests. */
    @FunctionalInterface
    public interface Lookup {
        InetAddress[] lookup(String host) throws UnknownHostException;
    }

    /** A host refused because it resolves to a non-public address. */
    public static final class RefusedAddress extends UnknownHostException {
        private final transient InetAddress address;

        RefusedAddress(String host, InetAddress address) {
            super(host + " points to a non-public address (" + address.getHostAddress() + ")");
            this.address = address;
        }

        public InetAddress address() {
            return address;
        }
    }

    private final boolean allowPrivate;
    private final Lookup lookup;

    public PublicAddressResolver(boolean allowPrivate, Lookup lookup) {
        this.allowPrivate = allowPrivate;
        this.lookup = lookup;
    }

    /** Resolves with the system resolver. */
    public PublicAddressResolver(boolean allowPrivate) {
        this(allowPrivate, InetAddress::getAllByName);
    }

    public boolean allowsPrivate() {
        return allowPrivate;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses = lookup.lookup(name);
        if (addresses == null || addresses.length == 0) {
            throw new UnknownHostException(name);
        }
        if (!allowPrivate) {
            InetAddress internal = PrivateAddresses.firstNonPublic(addresses);
            if (internal != null) {
                throw new RefusedAddress(name, internal);
            }
        }
        return addresses.clone();
    }

    @Override
    public String resolveCanonicalHostname(String host) {
        return host; // only used for Kerberos names, which these clients never use
    }
}
