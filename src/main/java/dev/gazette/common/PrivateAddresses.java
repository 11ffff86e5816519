package dev.gazette.common;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * Tells addresses on the public internet from those that point into the server's own network, so that a URL an
 * editor types cannot make Gazette request loopback, private, link-local or other internal services. IPv6 forms that
 * carry an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo) are judged by that IPv4 address. Names are resolved
 * and checked by {@link PublicAddressResolver}, in the client that then connects to the checked addresses.
 */
public final class PrivateAddresses {

    private PrivateAddresses() {
    }

    /** The first non-public address among these, or null when all are public. */
    public static InetAddress firstNonPublic(InetAddress... addresses) {
        for (InetAddress address : addresses) {
            if (!isPublic(address)) {
                return address;
            }
        }
        return null;
    }

    public static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return isPublicIpv4(b);
        }
        if (address instanceof Inet6Address) {
            return isPublicIpv6(b);
        }
        return false;
    }

    private static boolean isPublicIpv4(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return !(first == 0 // "this" network
                || first == 10 // private
                || first == 127 // loopback
                || (first == 100 && second >= 64 && second <= 127) // carrier-grade NAT
                || (first == 169 && second == 254) // link-local, cloud metadata
                || (first == 172 && second >= 16 && second <= 31) // private
                || (first == 192 && second == 168) // private
                || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                || (first == 198 && (second == 18 || second == 19)) // benchmarking
                || first >= 224); // multicast, reserved and broadcast
    }

    private static boolean isPublicIpv6(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if ((first & 0xfe) == 0xfc // unique local fc00::/7
                || (first == 0xfe && (second & 0xc0) == 0x80) // link-local fe80::/10
                || (first == 0xfe && (second & 0xc0) == 0xc0) // site-local fec0::/10 (deprecated)
                || first == 0xff) { // multicast
            return false;
        }
        if (zero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) { // IPv4-mapped ::ffff:0:0/96
            return isPublicIpv4(Arrays.copyOfRange(b, 12, 16));
        }
        if (zero(b, 0, 12)) { // IPv4-compatible ::/96, including :: and ::1
            return isPublicIpv4(Arrays.copyOfRange(b, 12, 16));
        }
        if (first == 0x00 && second == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
            if (zero(b, 4, 12)) { // NAT64 well-known prefix 64:ff9b::/96
                return isPublicIpv4(Arrays.copyOfRange(b, 12, 16));
            }
            if (b[4] == 0 && b[5] == 1) { // local-use NAT64 64:ff9b:1::/48
                return false;
            }
        }
        if (first == 0x20 && second == 0x02) { // 6to4 2002:a.b.c.d::/48
            return isPublicIpv4(Arrays.copyOfRange(b, 2, 6));
        }
        if (first == 0x20 && second == 0x01 && b[2] == 0 && b[3] == 0) { // Teredo 2001::/32, client IPv4 inverted
            byte[] client = new byte[4];
            for (int i = 0; i < 4; i++) {
                client[i] = (byte) ~b[12 + i];
            }
            byte[] server = Arrays.copyOfRange(b, 4, 8);
            return isPublicIpv4(client) && isPublicIpv4(server);
        }
        if (first == 0x20 && second == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) { // documentation
            return false;
        }
        if (first == 0x01 && second == 0x00 && zero(b, 2, 8)) { // discard-only 100::/64
            return false;
        }
        return true;
    }

    private static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
