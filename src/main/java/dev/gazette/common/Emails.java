package dev.gazette.common;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Helpers for email addresses in logs, which must not carry personal data beyond what an operator needs.
 */
public final class Emails {

    private Emails() {
    }

    /** {@code jane.doe@example.org} becomes {@code j***@example.org}. */
    public static String mask(String address) {
        if (address == null) {
            return "";
        }
        String plain = address;
        int lt = plain.lastIndexOf('<');
        if (lt >= 0 && plain.endsWith(">")) {
            plain = plain.substring(lt + 1, plain.length() - 1);
        }
        int at = plain.lastIndexOf('@');
        if (at <= 0) {
            return "***";
        }
        return plain.charAt(0) + "***" + plain.substring(at);
    }

    public static String mask(List<String> addresses) {
        return addresses.stream().map(Emails::mask).collect(Collectors.joining(", "));
    }
}
