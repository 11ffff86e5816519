package dev.gazette.common;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Validates and normalises email addresses: trimmed, the domain lower-cased and in its ASCII (punycode) form, so that
 * internationalised domains are accepted and deliverable by any SMTP server.
 */
public final class EmailAddresses {

    public static final int MAX_LENGTH = 254;
    private static final Pattern LOCAL = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern TLD = Pattern.compile("[a-z]{2,63}|xn--[a-z0-9-]{1,59}");

    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\p{Zl}\\p{Zp}]");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private EmailAddresses() {
    }

    /** No control or line-separator characters and no run of spaces: nothing for {@link #cleanName} to replace. */
    private static boolean plain(String name) {
        char previous = 'x';
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c >= 0x7f && c <= 0x9f || c == '\u2028' || c == '\u2029' || c == ' ' && previous == ' ') {
                return false;
            }
            previous = c;
        }
        return true;
    }

    /** The normalised address, or empty when it is not a valid address. */
    public static Optional<String> normalise(String input) {
        if (input == null) {
            return Optional.empty();
        }
        String address = input.strip();
        if (address.isEmpty() || address.length() > MAX_LENGTH * 2) {
            return Optional.empty();
        }
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            return Optional.empty();
        }
        String local = address.substring(0, at);
        if (local.length() > 64 || !LOCAL.matcher(local).matches()) {
            return Optional.empty();
        }
        String domain;
        try {
            domain = IDN.toASCII(address.substring(at + 1), IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        String[] labels = domain.split("\\.", -1);
        if (labels.length < 2 || domain.length() > 253) {
            return Optional.empty();
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return Optional.empty();
            }
        }
        if (!TLD.matcher(labels[labels.length - 1]).matches()) {
            return Optional.empty();
        }
        String normalised = local + "@" + domain;
        return normalised.length() <= MAX_LENGTH ? Optional.of(normalised) : Optional.empty();
    }

    /** The key one mailbox is known by, whatever the case it was typed in. */
    public static String key(String normalised) {
        return normalised.toLowerCase(Locale.ROOT);
    }

    /** A display name without control characters (no header injection), trimmed and bounded; null when empty. */
    public static String cleanName(String name) {
        if (name == null) {
            return null;
        }
        String clean = plain(name) ? name.strip() : SPACES.matcher(CONTROL.matcher(name).replaceAll(" ")).replaceAll(" ").strip();
        if (clean.isEmpty()) {
            return null;
        }
        return clean.length() > 200 ? clean.substring(0, 200).strip() : clean;
    }
}
