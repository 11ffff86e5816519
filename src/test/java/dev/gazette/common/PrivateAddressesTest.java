package dev.gazette.common;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every form of an internal address is refused, IPv6 forms that carry an IPv4 address included, and ordinary public
 * addresses pass.
 */
class PrivateAddressesTest {

    @ParameterizedTest
    @ValueSource(strings = {
            // IPv4
            "0.0.0.0", "0.1.2.3", "10.0.0.1", "100.64.0.1", "100.127.255.254", "127.0.0.1", "127.8.8.8",
            "169.254.169.254", "172.16.0.1", "172.31.255.255", "192.0.0.8", "192.168.1.1", "198.18.0.1",
            "198.19.255.255", "224.0.0.1", "240.0.0.1", "255.255.255.255",
            // IPv6
            "::", "::1", "fc00::1", "fd12:3456::1", "fe80::1", "febf::1", "fec0::1", "ff02::1", "2001:db8::1",
            // IPv4-mapped and IPv4-compatible
            "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1", "::10.0.0.1", "::a9fe:a9fe",
            // NAT64, well-known and local-use prefixes
            "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b::10.1.2.3", "64:ff9b:1::8.8.8.8",
            // 6to4
            "2002:7f00:1::", "2002:a9fe:a9fe::1", "2002:c0a8:101::",
            // Teredo: the client address is the last 32 bits inverted (80ff:fffe is 127.0.0.1 inverted)
            "2001:0:4136:e378:8000:63bf:80ff:fffe", "2001:0:4136:e378:8000:63bf:5601:5601" })
    void internalAddressesAreNotPublic(String address) throws Exception {
        assertFalse(PrivateAddresses.isPublic(InetAddress.getByName(address)), address);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "93.184.216.34", "8.8.8.8", "1.1.1.1", "100.128.0.1", "172.32.0.1", "198.20.0.1", "223.255.255.254",
            "2606:2800:220:1::1", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1",
            // Teredo with server 65.54.227.120 and client 8.9.8.9: public only when both are
            "2001:0:4136:e378:8000:63bf:f7f6:f7f6" })
    void publicAddressesArePublic(String address) throws Exception {
        assertTrue(PrivateAddresses.isPublic(InetAddress.getByName(address)), address);
    }
}
