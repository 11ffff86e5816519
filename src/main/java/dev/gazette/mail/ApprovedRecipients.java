package dev.gazette.mail;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.eclipse.microprofile.config.Config;

import io.quarkus.logging.Log;
import io.quarkus.mailer.Mail;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * {@code quarkus.mailer.approved-recipients} as Quarkus Mailer applies it, for Gazette's own SMTP client: on a staging
 * copy with real addresses, mail goes only to addresses that match one of the patterns (whole address,
 * case-insensitive); the others are dropped from the message, and a message left with nobody is not sent.
 */
final class ApprovedRecipients {

    static final String SETTING = "quarkus.mailer.approved-recipients";

    private final List<Pattern> patterns;

    private ApprovedRecipients(List<Pattern> patterns) {
        this.patterns = patterns;
    }

    /** The patterns configured, or null when every recipient is approved. */
    static ApprovedRecipients of(Config config) {
        List<String> values = config.getOptionalValues(SETTING, String.class).orElse(List.of());
        List<Pattern> patterns = new ArrayList<>();
        for (String value : values) {
            if (value.isBlank()) {
                continue;
            }
            try {
                patterns.add(Pattern.compile(value.strip(), Pattern.CASE_INSENSITIVE));
            } catch (PatternSyntaxException e) {
                throw new ConfigurationException(SETTING + " holds a pattern that is not a regular expression: " + value);
            }
        }
        return patterns.isEmpty() ? null : new ApprovedRecipients(patterns);
    }

    /** Drops the recipients no pattern approves; false when nobody is left to send to. */
    boolean filter(Mail mail) {
        mail.setTo(approved(mail.getTo()));
        mail.setCc(approved(mail.getCc()));
        mail.setBcc(approved(mail.getBcc()));
        if (mail.getTo().isEmpty() && mail.getCc().isEmpty() && mail.getBcc().isEmpty()) {
            Log.infof("Not sent: no recipient of \"%s\" is in %s", mail.getSubject(), SETTING);
            return false;
        }
        return true;
    }

    private List<String> approved(List<String> addresses) {
        List<String> kept = new ArrayList<>();
        if (addresses == null) {
            return kept;
        }
        for (String address : addresses) {
            String email = MimeEncoder.Address.parse(address).email().toLowerCase(Locale.ROOT);
            if (patterns.stream().anyMatch(p -> p.matcher(email).matches())) {
                kept.add(address);
            } else {
                Log.debugf("Recipient %s dropped: not in %s", dev.gazette.common.Emails.mask(email), SETTING);
            }
        }
        return kept;
    }
}
