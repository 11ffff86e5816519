package dev.gazette.mail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.Config;

import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Reads the DKIM settings at start-up into the signer of Gazette's own SMTP client, or stops start-up with a message
 * that names the setting at fault.
 * <p>
 * {@code gazette.mail.dkim.*} is the way to configure it. {@code quarkus.mailer.dkim.*}, which earlier versions
 * documented, is still read when that is not set, so an existing installation keeps signing; its key may now be in
 * any form {@link DkimKey} reads.
 */
final class DkimSettings {

    static final String PREFIX = "gazette.mail.dkim.";
    static final String LEGACY_PREFIX = "quarkus.mailer.dkim.";

    /** A domain name: labels of letters, digits and inner hyphens, at least two of them. */
    private static final Pattern DOMAIN = Pattern.compile(
            "(?i)(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    /** A selector: one or more labels (RFC 6376 3.1), used as a DNS name under _domainkey. */
    private static final Pattern SELECTOR = Pattern.compile(
            "(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    private DkimSettings() {
    }

    /**
     * The signer the configuration asks for, or null when DKIM is off (or left to Quarkus Mailer).
     *
     * @param config    the raw configuration
     * @param ownClient whether mail goes through Gazette's own SMTP client; with Quarkus Mailer only its own
     *                  {@code quarkus.mailer.dkim.*} signing is possible
     * @param whyMailer why Quarkus Mailer is used when it is, for the message
     * @throws ConfigurationException naming the setting, when a key cannot be read or a setting is missing or wrong
     */
    static DkimSigner signer(Config config, boolean ownClient, String whyMailer) {
        Optional<String> key = value(config, PREFIX + "private-key");
        Optional<String> keyPath = value(config, PREFIX + "private-key-path");
        if (key.isPresent() || keyPath.isPresent()) {
            if (!ownClient) {
                throw new ConfigurationException("gazette.mail.dkim.* signs in Gazette's own SMTP client, which this "
                        + "configuration does not use (" + whyMailer + "). Remove that setting, or sign with "
                        + "quarkus.mailer.dkim.* (Quarkus Mailer takes only a bare Base64 PKCS#8 key)");
            }
            return read(config, PREFIX, key, keyPath, PREFIX + "domain", PREFIX + "selector", "gazette");
        }
        if (!config.getOptionalValue(LEGACY_PREFIX + "enabled", Boolean.class).orElse(false) || !ownClient) {
            return null;
        }
        return read(config, LEGACY_PREFIX, value(config, LEGACY_PREFIX + "private-key"),
                value(config, LEGACY_PREFIX + "private-key-path"), LEGACY_PREFIX + "sdid", LEGACY_PREFIX + "selector", null);
    }

    private static DkimSigner read(Config config, String prefix, Optional<String> key, Optional<String> keyPath,
            String domainSetting, String selectorSetting, String defaultSelector) {
        if (key.isPresent() && keyPath.isPresent()) {
            throw new ConfigurationException(prefix + "private-key and " + prefix + "private-key-path are both set: "
                    + "set one of them");
        }
        String setting = key.isPresent() ? prefix + "private-key" : prefix + "private-key-path";
        String text;
        if (key.isPresent()) {
            text = key.get();
        } else if (keyPath.isPresent()) {
            Path path = Path.of(keyPath.get());
            try {
                text = Files.readString(path);
            } catch (IOException e) {
                throw new ConfigurationException(setting + " names " + path.toAbsolutePath()
                        + ", which cannot be read: " + e.getClass().getSimpleName() + " " + e.getMessage());
            }
        } else {
            throw new ConfigurationException(prefix + "enabled is true but neither " + prefix + "private-key nor "
                    + prefix + "private-key-path is set");
        }
        String domain = value(config, domainSetting).map(d -> d.toLowerCase(Locale.ROOT)).orElseThrow(
                () -> new ConfigurationException(domainSetting + " is not set: DKIM signs for a domain, the one of the "
                        + "From addresses or a parent of it (for example news.example.org)"));
        if (!DOMAIN.matcher(domain).matches()) {
            throw new ConfigurationException(domainSetting + " is not a domain name: " + domain);
        }
        String selector = value(config, selectorSetting).or(() -> Optional.ofNullable(defaultSelector)).orElseThrow(
                () -> new ConfigurationException(selectorSetting + " is not set: it names the DNS record "
                        + "<selector>._domainkey." + domain + " that holds the public key"));
        if (!SELECTOR.matcher(selector).matches()) {
            throw new ConfigurationException(selectorSetting + " is not a DNS label: " + selector);
        }
        DkimKey dkimKey;
        try {
            dkimKey = DkimKey.read(text, setting);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
        try {
            return new DkimSigner(domain, selector, dkimKey);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(setting + ": " + e.getMessage());
        }
    }

    private static Optional<String> value(Config config, String name) {
        return config.getOptionalValue(name, String.class).filter(v -> !v.isBlank());
    }
}
