package dev.gazette.mail;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletionStage;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;

import dev.gazette.common.Emails;
import dev.gazette.common.config.DataConfig;
import dev.gazette.common.config.SiteConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.mailer.Mail;
import io.smallrye.config.ConfigValue;

/**
 * Sends mail through the transport chosen at start-up: SMTP when a host is configured, the file outbox otherwise.
 * Created at start-up, so that a mail setting that cannot work (an unreadable DKIM key) stops Gazette at once.
 */
@Startup
@Singleton
public class MailService {

    static final String HOST_PROPERTY = "quarkus.mailer.host";

    private final MailConfig config;
    private final DataConfig data;
    private final SiteConfig site;
    private final Config rawConfig;
    private final Clock clock;
    private final SendFailures failures;
    private final MailerRuntime runtime;
    private MailTransport transport;
    private ApprovedRecipients approved;

    MailService(MailConfig config, DataConfig data, SiteConfig site, Config rawConfig, Clock clock, SendFailures failures,
            MailerRuntime runtime) {
        this.config = config;
        this.data = data;
        this.site = site;
        this.rawConfig = rawConfig;
        this.clock = clock;
        this.failures = failures;
        this.runtime = runtime;
    }

    @PostConstruct
    void chooseTransport() {
        if (usesSmtp()) {
            BulkSmtpWriter bulk = null;
            BulkSmtpWriter single = null;
            String whyNot = bulkUnsupported();
            DkimSigner dkim = DkimSettings.signer(rawConfig, whyNot == null, whyNot);
            if (whyNot == null) {
                int connections = rawConfig.getOptionalValue("quarkus.mailer.max-pool-size", Integer.class).orElse(10);
                long perConnection = rawConfig.getOptionalValue("quarkus.mailer.max-mails-per-connection", Long.class).orElse(0L);
                bulk = new BulkSmtpWriter(smtpSettings(), connections, perConnection, dkim);
                // Single messages (confirmations, test sends) get their own two connections, so that they never
                // queue behind a digest run, and never meet Quarkus Mailer's lost-greeting race either.
                single = new BulkSmtpWriter(smtpSettings(), 2, perConnection, dkim);
            } else {
                Log.warnf("Mail is sent through Quarkus Mailer, not Gazette's own SMTP client: %s. Its Vert.x client can"
                        + " lose the greeting of a server that answers at once (an MTA on this host) and then waits out"
                        + " gazette.mail.send-timeout; see docs/guide/digests.md", whyNot);
            }
            if (dkim != null) {
                checkAlignment(dkim);
            }
            if (bulk != null) {
                approved = ApprovedRecipients.of(rawConfig);
            }
            transport = new SmtpTransport(runtime::mailer, new SmtpTransport.Own(bulk, single),
                    config.sendTimeout(), "SMTP " + smtpHost() + ":" + smtpPort() + (bulk != null ? " (Gazette's own SMTP client, "
                            + bulk.connections() + " connections for digests and 2 for single messages"
                            + (dkim != null ? ", DKIM-signed as " + dkim.describe() : "") + ")" : " (Quarkus Mailer)"),
                    bulk != null ? Runnable::run : runtime.eventLoop());
        } else {
            // checked here too, so that a key that cannot be read is found before mail goes over SMTP
            DkimSettings.signer(rawConfig, true, null);
            Path dir = config.outboxDir().orElse(data.dir().resolve("outbox"));
            OutboxTransport outbox = new OutboxTransport(dir, URI.create(site.baseUrl()).getHost(), clock);
            outbox.restrictExisting();
            transport = outbox;
        }
        Log.infof("Outgoing mail goes to %s", transport.describe());
    }

    @PreDestroy
    void close() {
        if (transport instanceof SmtpTransport smtp) {
            smtp.close();
        }
    }

    /** Warns when the transactional sender's domain is not the signing domain or under it: DMARC would not align. */
    private void checkAlignment(DkimSigner dkim) {
        String from = MimeEncoder.Address.parse(config.from()).email();
        String domain = from.substring(from.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        if (!domain.equals(dkim.domain()) && !domain.endsWith("." + dkim.domain())) {
            Log.warnf("gazette.mail.from (%s) is not in the DKIM signing domain %s: receivers that check DMARC will not"
                    + " count the signature for it. Newsletters' From addresses should be in that domain too.", from,
                    dkim.domain());
        }
    }

    /**
     * Why mail cannot use Gazette's own SMTP client with this configuration, or null when it can: it speaks SMTP with
     * TLS, STARTTLS and password authentication (PLAIN, LOGIN), and signs with DKIM, but does not use OAuth tokens,
     * client certificates or custom trust stores.
     */
    String bulkUnsupported() {
        return bulkUnsupported(config.bulkSmtp(), rawConfig);
    }

    static String bulkUnsupported(boolean bulkSmtp, Config rawConfig) {
        if (!bulkSmtp) {
            return "gazette.mail.bulk-smtp is false";
        }
        if (rawConfig.getOptionalValue("quarkus.mailer.mock", Boolean.class).orElse(false)) {
            return "quarkus.mailer.mock is true: the mailer only logs";
        }
        for (String name : rawConfig.getPropertyNames()) {
            if (name.startsWith("quarkus.mailer.truststore.") || name.startsWith("quarkus.mailer.key-store")) {
                return name + " is set (Quarkus Mailer's own trust settings; name a TLS configuration with"
                        + " quarkus.mailer.tls-configuration-name instead, which Gazette's client uses too)";
            }
        }
        return null;
    }

    /** quarkus.mailer.* as settings of the bulk writer. */
    BulkSmtpWriter.SmtpSettings smtpSettings() {
        String login = rawConfig.getOptionalValue("quarkus.mailer.login", String.class).orElse("NONE").toUpperCase(Locale.ROOT);
        String username = rawConfig.getOptionalValue("quarkus.mailer.username", String.class)
                .filter(u -> !u.isBlank() && !"DISABLED".equals(login)).orElse(null);
        return BulkSmtpWriter.SmtpSettings.of(smtpHost(), smtpPort(), smtpImplicitTls(),
                rawConfig.getOptionalValue("quarkus.mailer.start-tls", String.class).orElse("OPTIONAL"),
                rawConfig.getOptionalValue("quarkus.mailer.trust-all", Boolean.class).orElse(false),
                username, rawConfig.getOptionalValue("quarkus.mailer.password", String.class).orElse(null),
                rawConfig.getOptionalValue("quarkus.mailer.auth-methods", String.class).orElse(null),
                rawConfig.getOptionalValue("quarkus.mailer.own-host-name", String.class).orElse(localHostName()),
                config.sendTimeout()).withLogin(login).withTls(namedTls());
    }

    /** The SSL context of the TLS configuration named by quarkus.mailer.tls-configuration-name, or null. */
    private javax.net.ssl.SSLContext namedTls() {
        String setting = "quarkus.mailer.tls-configuration-name";
        return rawConfig.getOptionalValue(setting, String.class).filter(n -> !n.isBlank())
                .map(name -> runtime.sslContext(name, setting)).orElse(null);
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }

    /** The outbox directory when mail goes there (the zero-setup run), for the editor UI to show. */
    public java.util.Optional<Path> outboxDirectory() {
        return transport instanceof OutboxTransport outbox ? java.util.Optional.of(outbox.directory()) : java.util.Optional.empty();
    }

    /** True when mail goes over SMTP: forced, or AUTO with a host set by the operator. */
    public boolean usesSmtp() {
        return switch (config.transport()) {
            case SMTP -> true;
            case OUTBOX -> false;
            case AUTO -> isSetByOperator(HOST_PROPERTY);
        };
    }

    private boolean isSetByOperator(String property) {
        ConfigValue value = (ConfigValue) rawConfig.getConfigValue(property);
        // Built-in defaults live in sources with the lowest ordinals; anything a user sets ranks far above them.
        return value.getValue() != null && !value.getValue().isBlank() && value.getConfigSourceOrdinal() > 0;
    }

    public String smtpHost() {
        return rawConfig.getOptionalValue(HOST_PROPERTY, String.class).orElse("localhost");
    }

    public int smtpPort() {
        boolean tls = rawConfig.getOptionalValue("quarkus.mailer.tls", Boolean.class).orElse(false)
                || rawConfig.getOptionalValue("quarkus.mailer.ssl", Boolean.class).orElse(false);
        return rawConfig.getOptionalValue("quarkus.mailer.port", Integer.class).orElse(tls ? 465 : 25);
    }

    public boolean smtpImplicitTls() {
        return rawConfig.getOptionalValue("quarkus.mailer.tls", Boolean.class).orElse(false)
                || rawConfig.getOptionalValue("quarkus.mailer.ssl", Boolean.class).orElse(false);
    }

    public MailTransport transport() {
        return transport;
    }

    /**
     * Sends a message, filling in the default sender; blocks until the SMTP server accepted it or the file is written.
     * A failure is counted and, when the server was unreachable or stuck, logged (see {@link SendFailures}) before it
     * is thrown.
     *
     * @param kind what the message is, for the metric and the log: confirmation, test, preview
     */
    public void send(Mail mail, String kind) {
        if (mail.getFrom() == null || mail.getFrom().isBlank()) {
            mail.setFrom(config.from());
        }
        HeaderText.encodeHeaders(mail);
        if (approved != null && !approved.filter(mail)) {
            return;
        }
        try {
            transport.send(mail);
        } catch (RuntimeException e) {
            failures.record(kind, kind + " mail to " + Emails.mask(mail.getTo()), e);
            throw e;
        }
        Log.debugf("Mail \"%s\" to %s sent via %s", mail.getSubject(), Emails.mask(mail.getTo()), transport.describe());
    }

    /** Records a message sent with {@link #sendAsync(Mail)} that failed; see {@link SendFailures}. */
    public void recordFailure(String kind, String what, Throwable failure) {
        failures.record(kind, what, failure);
    }

    /** Sends without waiting: the stage completes when the SMTP server accepted the message or fails with its reply. */
    public CompletionStage<Void> sendAsync(Mail mail) {
        if (mail.getFrom() == null || mail.getFrom().isBlank()) {
            mail.setFrom(config.from());
        }
        HeaderText.encodeHeaders(mail);
        if (approved != null && !approved.filter(mail)) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        return transport.sendAsync(mail);
    }
}
