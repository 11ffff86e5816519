package dev.gazette.mail;

import java.util.concurrent.Executor;

import javax.net.ssl.SSLContext;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * What the SMTP transport may need from Quarkus, each looked up only when used: Quarkus Mailer (created only when the
 * configuration needs it, since it reads {@code quarkus.mailer.dkim.*} when it is created and takes only a bare Base64
 * key), a named TLS configuration, and a Vert.x event loop.
 */
@Singleton
public class MailerRuntime {

    private final Instance<ReactiveMailer> mailer;
    private final Instance<TlsConfigurationRegistry> tls;
    private final Instance<Vertx> vertx;

    MailerRuntime(Instance<ReactiveMailer> mailer, Instance<TlsConfigurationRegistry> tls, Instance<Vertx> vertx) {
        this.mailer = mailer;
        this.tls = tls;
        this.vertx = vertx;
    }

    ReactiveMailer mailer() {
        return mailer.get();
    }

    /** The SSL context of the TLS configuration of that name; stops start-up when it is missing or unusable. */
    SSLContext sslContext(String name, String setting) {
        TlsConfiguration configuration = tls.get().get(name).orElseThrow(() -> new ConfigurationException(
                setting + " names " + name + ", which is not a configured TLS configuration (quarkus.tls." + name + ".*)"));
        try {
            return configuration.createSSLContext();
        } catch (Exception e) {
            throw new ConfigurationException("The TLS configuration " + name + " (" + setting + ") cannot be used: "
                    + e.getMessage(), e);
        }
    }

    /** Runs tasks on one Vert.x event-loop context, made here (on a thread that is not Vert.x's, so a new one). */
    Executor eventLoop() {
        Context context = vertx.get().getOrCreateContext();
        return task -> context.runOnContext(ignored -> task.run());
    }
}
