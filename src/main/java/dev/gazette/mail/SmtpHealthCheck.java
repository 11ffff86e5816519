package dev.gazette.mail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLSocketFactory;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.smallrye.health.api.Wellness;

/**
 * UP when the configured SMTP server greets us; with the file outbox, reports where mail goes. A wellness check
 * ({@code /q/health} and {@code /q/health/well}), not readiness: an SMTP outage must not take the public site out of a
 * load balancer, and unsent mail waits in the ledger anyway.
 */
@Wellness
@ApplicationScoped
public class SmtpHealthCheck implements HealthCheck {

    private static final int TIMEOUT_MILLIS = 3000;

    private final MailService mail;

    SmtpHealthCheck(MailService mail) {
        this.mail = mail;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Mail transport");
        if (!mail.usesSmtp()) {
            return response.up().withData("transport", mail.transport().describe()).build();
        }
        String host = mail.smtpHost();
        int port = mail.smtpPort();
        response.withData("transport", "SMTP " + host + ":" + port);
        try (Socket socket = mail.smtpImplicitTls() ? SSLSocketFactory.getDefault().createSocket() : new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String greeting = in.readLine();
            OutputStream out = socket.getOutputStream();
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (greeting != null && greeting.startsWith("220")) {
                return response.up().build();
            }
            return response.down().withData("error", "unexpected greeting: " + greeting)
                    .withData("setting", "QUARKUS_MAILER_HOST / QUARKUS_MAILER_PORT").build();
        } catch (Exception e) {
            return response.down().withData("error", e.getClass().getSimpleName() + ": " + e.getMessage())
                    .withData("setting", "QUARKUS_MAILER_HOST / QUARKUS_MAILER_PORT").build();
        }
    }
}
