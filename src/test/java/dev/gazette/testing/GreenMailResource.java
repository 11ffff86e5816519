package dev.gazette.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.server.ProtocolHandler;
import com.icegreen.greenmail.smtp.SmtpHandler;
import com.icegreen.greenmail.smtp.SmtpServer;
import com.icegreen.greenmail.smtp.commands.SmtpCommandRegistry;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real SMTP server (GreenMail) on a free port; the application sends to it with the mailer's mock off.
 * Tests receive it in fields annotated {@link InjectGreenMail}.
 * <p>
 * The server waits {@link #GREETING_DELAY_MILLIS} before its 220 greeting, as an MTA across a network does. The Vert.x
 * mail client (4.5.x) can lose a greeting that arrives within microseconds of the TCP connect: its pool may open the
 * socket on one thread while the reply handler is installed later by a task on the caller's event loop, and a Vert.x
 * {@code NetSocket} silently drops data that arrives before it has a handler. The client then waits for a greeting that
 * already came and GreenMail waits for a command, until GreenMail's 30 s socket timeout. That was the "stuck after
 * EHLO" / "stale pooled connection" stall: every stuck connection had received the 53-byte greeting, sent nothing,
 * and its GreenMail handler had read no command. With the delay the handler is in place long before the greeting.
 */
public class GreenMailResource implements QuarkusTestResourceLifecycleManager {

    /** Long enough to cover event-loop and scheduling hiccups on a loaded 2-core runner; paid once per connection. */
    static final long GREETING_DELAY_MILLIS = 200;

    private GreenMail greenMail;

    @Override
    public Map<String, String> start() {
        ServerSetup smtp = new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        smtp.setVerbose(Boolean.getBoolean("greenmail.verbose"));
        greenMail = new DelayedGreetingGreenMail(smtp);
        greenMail.start();
        // EHLO and pooled connections as in production: HELO-only and one connection per message were earlier
        // workarounds for the lost-greeting stall above (one connection per message made it more frequent).
        return Map.of(
                "quarkus.mailer.host", "127.0.0.1",
                "quarkus.mailer.port", String.valueOf(smtp.getPort()),
                "quarkus.mailer.mock", "false",
                "quarkus.mailer.start-tls", "DISABLED",
                // Fail a stuck exchange well before the HTTP test client's 30 s read timeout, with the mailer's reason.
                "quarkus.mailer.timeout", "10s");
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(greenMail, new TestInjector.AnnotatedAndMatchesType(InjectGreenMail.class, GreenMail.class));
    }

    @Override
    public void stop() {
        if (greenMail != null) {
            greenMail.stop();
        }
    }

    /** GreenMail whose SMTP server greets {@link #GREETING_DELAY_MILLIS} after accepting a connection. */
    static final class DelayedGreetingGreenMail extends GreenMail {

        DelayedGreetingGreenMail(ServerSetup smtp) {
            super(smtp);
        }

        @Override
        protected Map<String, AbstractServer> createServices(ServerSetup[] setups, Managers mgr) {
            Map<String, AbstractServer> services = new HashMap<>();
            for (ServerSetup setup : setups) {
                if (!ServerSetup.PROTOCOL_SMTP.equals(setup.getProtocol())) {
                    throw new IllegalArgumentException("Only plain SMTP is set up here, not " + setup.getProtocol());
                }
                services.put(setup.getProtocol(), new SmtpServer(setup, mgr) {
                    @Override
                    protected ProtocolHandler createProtocolHandler(Socket clientSocket) {
                        return new SmtpHandler(new SmtpCommandRegistry(), managers.getSmtpManager(), clientSocket) {
                            @Override
                            protected void sendGreetings() {
                                try {
                                    Thread.sleep(GREETING_DELAY_MILLIS);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                                super.sendGreetings();
                            }
                        };
                    }
                });
            }
            return services;
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
