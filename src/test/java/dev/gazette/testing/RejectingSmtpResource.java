package dev.gazette.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.SMTPServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * An SMTP server (SubEthaSMTP) that answers each recipient as its local part says: {@code soft...} gets 451 the first
 * time (then 250), {@code busy...} always 451, {@code hard...} 550 5.1.1, {@code policy...} 554 5.7.1; anyone else 250.
 * {@code stall...} gets no answer for {@link #STALL_SECONDS} s, longer than the {@code gazette.mail.send-timeout} it sets:
 * a relay that hangs.
 */
public class RejectingSmtpResource implements QuarkusTestResourceLifecycleManager {

    /** Recipients whose messages were accepted, in order. */
    public static final List<String> ACCEPTED = new CopyOnWriteArrayList<>();
    private static final Map<String, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();

    /** How long a {@code stall...} recipient waits for its answer. */
    public static final int STALL_SECONDS = 6;

    private SMTPServer server;

    public static void reset() {
        ACCEPTED.clear();
        ATTEMPTS.clear();
    }

    @Override
    public Map<String, String> start() {
        int port = GreenMailResource.freePort();
        try {
            server = SMTPServer.port(port).bindAddress(InetAddress.getByName("127.0.0.1")).hostName("mx.example.org")
                    .messageHandlerFactory(context -> new Handler()).build();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        server.start();
        return Map.of("quarkus.mailer.host", "127.0.0.1", "quarkus.mailer.port", String.valueOf(port),
                "gazette.mail.send-timeout", "2s");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private static final class Handler implements MessageHandler {
        private String recipient;

        @Override
        public void from(String from) {
        }

        @Override
        public void recipient(String address) throws RejectException {
            String local = address.substring(0, address.indexOf('@'));
            int attempt = ATTEMPTS.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
            if (local.startsWith("soft") && attempt == 1 || local.startsWith("busy")) {
                throw new RejectException(451, "4.3.0 Mailbox temporarily unavailable, try again later");
            }
            if (local.startsWith("stall")) {
                try {
                    Thread.sleep(STALL_SECONDS * 1000L);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (local.startsWith("hard")) {
                throw new RejectException(550, "5.1.1 <" + address + ">: Recipient address rejected: User unknown");
            }
            if (local.startsWith("policy")) {
                throw new RejectException(554, "5.7.1 Message rejected by policy");
            }
            recipient = address;
        }

        @Override
        public String data(InputStream data) throws IOException {
            data.readAllBytes();
            ACCEPTED.add(recipient);
            return null;
        }

        @Override
        public void done() {
        }
    }
}
