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
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.config.ConfigValue;

/**
 * Sends mail through the transport chosen at start-up: SMTP when a host is configured, the file outbox otherwise.
 */
@Singleton
public class MailService {

    static final String HOST_PROPERTY = "quarkus.mailer.host";

    private final MailConfig config;
    private final DataConfig data;
    private final SiteConfig site;
    private final Mailer mailer;
    private final ReactiveMailer reactiveMailer;
    private final Config rawConfig;
    private final Clock clock;
    private MailTransport transport;

    MailService(MailConfig config, DataConfig data, SiteConfig site, Mailer mailer, ReactiveMailer reactiveMailer, Config rawConfig,
            Clock clock) {
        this.config = config;
        this.data = data;
        this.site = site;
        this.mailer = mailer;
        this.reactiveMailer = reactiveMailer;
        this.rawConfig = rawConfig;
        this.clock = clock;
    }

    @PostConstruct
    void chooseTransport() {
        if (usesSmtp()) {
            BulkSmtpWriter bulk = null;
            BulkSmtpWriter single = null;
            String whyNot = bulkUnsupported();
            if (whyNot == null) {
                int connections = rawConfig.getOptionalValue("quarkus.mailer.max-pool-size", Integer.class).orElse(10);
                long perConnection = rawConfig.getOptionalValue("quarkus.mailer.max-mails-per-connection", Long.class).orElse(0L);
                bulk = new BulkSmtpWriter(smtpSettings(), connections, perConnection);
                // Single messages (confirmations, test sends) get their own two connections, so that they never
                // queue behind a digest run, and never meet Quarkus Mailer's lost-greeting race either.
                single = new BulkSmtpWriter(smtpSettings(), 2, perConnection);
            } else {
                Log.infof("Digests are sent through Quarkus Mailer, not the bulk SMTP writer: %s", whyNot);
            }
            transport = new SmtpTransport(mailer, reactiveMailer, new SmtpTransport.Own(bulk, single), config.sendTimeout(),
                    "SMTP " + smtpHost() + ":" + smtpPort() + (bulk != null ? " (Gazette's own SMTP client, " + bulk.connections()
                            + " connections for digests and 2 for single messages)" : ""));
        } else {
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

    /**
     * Why digests cannot use the bulk writer with this configuration, or null when they can: it speaks SMTP with
     * TLS, STARTTLS and password authentication, but does not sign (DKIM), use OAuth tokens or custom trust stores.
     */
    String bulkUnsupported() {
        return bulkUnsupported(config.bulkSmtp(), rawConfig);
    }

    static String bulkUnsupported(boolean bulkSmtp, Config rawConfig) {
        if (!bulkSmtp) {
            return "gazette.mail.bulk-smtp is false";
        }
        if (rawConfig.getOptionalValue("quarkus.mailer.dkim.enabled", Boolean.class).orElse(false)) {
            return "DKIM signing (quarkus.mailer.dkim.enabled) is done by the mailer";
        }
        if ("XOAUTH2".equalsIgnoreCase(rawConfig.getOptionalValue("quarkus.mailer.login", String.class).orElse(""))) {
            return "XOAUTH2 login is done by the mailer";
        }
        if (rawConfig.getOptionalValue("quarkus.mailer.mock", Boolean.class).orElse(false)) {
            return "quarkus.mailer.mock is true: the mailer only logs";
        }
        if (rawConfig.getOptionalValue("quarkus.mailer.approved-recipients", String.class).filter(v -> !v.isBlank()).isPresent()) {
            return "quarkus.mailer.approved-recipients is set: the mailer filters recipients";
        }
        for (String name : rawConfig.getPropertyNames()) {
            if (name.startsWith("quarkus.mailer.truststore.") || name.startsWith("quarkus.mailer.key-store")
                    || name.equals("quarkus.mailer.tls-configuration-name")) {
                return name + " is set: custom TLS trust is done by the mailer";
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
                config.sendTimeout()).withLoginRequired("REQUIRED".equals(login));
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

    /** Sends a message, filling in the default sender; blocks until the SMTP server accepted it or the file is written. */
    public void send(Mail mail) {
        if (mail.getFrom() == null || mail.getFrom().isBlank()) {
            mail.setFrom(config.from());
        }
        HeaderText.encodeHeaders(mail);
        transport.send(mail);
        Log.debugf("Mail \"%s\" to %s sent via %s", mail.getSubject(), Emails.mask(mail.getTo()), transport.describe());
    }

    /** Sends without waiting: the stage completes when the SMTP server accepted the message or fails with its reply. */
    public CompletionStage<Void> sendAsync(Mail mail) {
        if (mail.getFrom() == null || mail.getFrom().isBlank()) {
            mail.setFrom(config.from());
        }
        HeaderText.encodeHeaders(mail);
        return transport.sendAsync(mail);
    }
}
