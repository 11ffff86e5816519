import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for many fediverse servers, for bench/fanout: it answers every POST as an inbox would, after checking the
 * request's HTTP signature on its own (draft-cavage, or RFC 9421 when the request carries one; no Gazette code), and
 * counts what each inbox (Host + path) received per activity id. JDK 17 only: {@code java Receiver.java ...}.
 *
 * <pre>
 * java Receiver.java PORT ACTOR_URL [LATENCY_MS] [THREADS] [rfc9421]
 *   PORT       listens on 0.0.0.0:PORT, so every 127.x.y.z:PORT is a distinct host to the sender
 *   ACTOR_URL  where the publication's actor (and its public key) is fetched, e.g. http://127.0.0.1:18080/ap/actor
 *   LATENCY_MS each inbox answers 202 after this long, as a remote server would (default 0)
 *   THREADS    requests handled at once (default 256)
 *   rfc9421    answer 401 to a request signed only with draft-cavage, as a server that dropped it would, so that the
 *              sender knocks again with RFC 9421 (counted as knocks, not as refused)
 * -Dslow=EVERY:MS  one host in EVERY (by the hash of Host) takes MS instead of LATENCY_MS, as a server in trouble does
 * GET /_stats  one line: requests=.. verified=.. refused=.. knocks=.. inboxes=.. once=.. duplicates=.. first_ms=.. last_ms=..
 * GET /_dump   one line per (inbox, activity id): copies, inbox, activity id
 * </pre>
 */
public class Receiver {

    private static final Pattern PARAM = Pattern.compile("([A-Za-z]+)=\"([^\"]*)\"");

    private final PublicKey key;
    private final String keyId;
    private final long latencyMs;
    private final boolean refuseCavage;
    private final int slowEvery = Integer.parseInt(System.getProperty("slow", "0:0").split(":")[0]);
    private final long slowMs = Long.parseLong(System.getProperty("slow", "0:0").split(":")[1]);
    private final AtomicLong knocks = new AtomicLong();
    private final Map<String, AtomicInteger> copies = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong verified = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong first = new AtomicLong();
    private final AtomicLong last = new AtomicLong();
    private final Map<String, String> refusals = new ConcurrentHashMap<>();

    Receiver(PublicKey key, String keyId, long latencyMs, boolean refuseCavage) {
        this.key = key;
        this.keyId = keyId;
        this.latencyMs = latencyMs;
        this.refuseCavage = refuseCavage;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: java Receiver.java PORT ACTOR_URL [LATENCY_MS] [THREADS] [rfc9421]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        long latency = args.length > 2 ? Long.parseLong(args[2]) : 0;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 256;
        HttpResponse<String> actor = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(args[1]))
                .header("Accept", "application/activity+json").timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (actor.statusCode() != 200) {
            throw new IllegalStateException(args[1] + " answered " + actor.statusCode());
        }
        Object document = new Json(actor.body()).value();
        Map<?, ?> publicKey = (Map<?, ?>) ((Map<?, ?>) document).get("publicKey");
        String pem = (String) publicKey.get("publicKeyPem");
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        Receiver receiver = new Receiver(KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der)),
                (String) publicKey.get("id"), latency, args.length > 4 && args[4].equals("rfc9421"));
        HttpServer server = HttpServer.create(new InetSocketAddress("0.0.0.0", port), 4096);
        server.setExecutor(Executors.newFixedThreadPool(threads));
        server.createContext("/", receiver::handle);
        server.start();
        System.err.println("receiver: listening on 0.0.0.0:" + port + ", key " + receiver.keyId + ", latency " + latency + " ms"
                + (receiver.refuseCavage ? ", draft-cavage refused" : ""));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if ("GET".equals(exchange.getRequestMethod()) && path.equals("/_stats")) {
                answer(exchange, 200, stats());
                return;
            }
            if ("GET".equals(exchange.getRequestMethod()) && path.equals("/_dump")) {
                StringBuilder out = new StringBuilder();
                copies.forEach((k, n) -> out.append(n.get()).append(' ').append(k).append('\n'));
                refusals.forEach((inbox, why) -> out.append("refused ").append(inbox).append(' ').append(why).append('\n'));
                answer(exchange, 200, out.toString());
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                answer(exchange, 405, "");
                return;
            }
            byte[] body = readAll(exchange.getRequestBody());
            requests.incrementAndGet();
            String host = exchange.getRequestHeaders().getFirst("Host");
            String inbox = host + path;
            if (refuseCavage && exchange.getRequestHeaders().getFirst("Signature-Input") == null) {
                knocks.incrementAndGet();
                answer(exchange, 401, "sign with RFC 9421");
                return;
            }
            String problem = verify(exchange, host, body);
            if (problem != null) {
                refused.incrementAndGet();
                refusals.put(inbox, problem);
                answer(exchange, 401, problem);
                return;
            }
            verified.incrementAndGet();
            Object activity = new Json(new String(body, StandardCharsets.UTF_8)).value();
            String id = activity instanceof Map<?, ?> m && m.get("id") instanceof String s ? s : "(no id)";
            long latency = slowEvery > 0 && Math.floorMod(host.hashCode(), slowEvery) == 0 ? slowMs : latencyMs;
            if (latency > 0) {
                Thread.sleep(latency);
            }
            long now = System.currentTimeMillis();
            first.compareAndSet(0, now);
            last.set(now);
            copies.computeIfAbsent(inbox + " " + id, k -> new AtomicInteger()).incrementAndGet();
            answer(exchange, 202, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            refused.incrementAndGet();
            answer(exchange, 400, "unreadable: " + e);
        }
    }

    /** Why the signature does not hold, or null when it does. */
    private String verify(HttpExchange exchange, String host, byte[] body) throws IOException {
        var headers = exchange.getRequestHeaders();
        String input = headers.getFirst("Signature-Input");
        String signature = headers.getFirst("Signature");
        if (signature == null) {
            return "no Signature";
        }
        try {
            return input != null ? verifyRfc9421(exchange, host, body, input, signature)
                    : verifyCavage(exchange, host, body, signature);
        } catch (Exception e) {
            return "cannot verify: " + e;
        }
    }

    private String verifyCavage(HttpExchange exchange, String host, byte[] body, String field) throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(field);
        while (m.find()) {
            params.put(m.group(1), m.group(2));
        }
        if (!keyId.equals(params.get("keyId"))) {
            return "unknown keyId " + params.get("keyId");
        }
        if (!"rsa-sha256".equals(params.get("algorithm")) && !"hs2019".equals(params.get("algorithm"))) {
            return "algorithm " + params.get("algorithm");
        }
        List<String> covered = List.of(params.getOrDefault("headers", "date").split(" "));
        if (!covered.containsAll(List.of("(request-target)", "host", "date", "digest"))) {
            return "covers only " + covered;
        }
        String digest = "SHA-256=" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
        if (!digest.equals(exchange.getRequestHeaders().getFirst("Digest"))) {
            return "Digest does not match the body";
        }
        List<String> lines = new ArrayList<>();
        for (String name : covered) {
            String value = name.equals("(request-target)")
                    ? exchange.getRequestMethod().toLowerCase(Locale.ROOT) + " " + exchange.getRequestURI().getRawPath()
                            + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery())
                    : name.equals("host") ? host : exchange.getRequestHeaders().getFirst(name);
            if (value == null) {
                return "no " + name + " header";
            }
            lines.add(name + ": " + value.strip());
        }
        return rsa(String.join("\n", lines), Base64.getDecoder().decode(params.get("signature")))
                ? null : "draft-cavage signature does not verify";
    }

    private String verifyRfc9421(HttpExchange exchange, String host, byte[] body, String input, String field) throws Exception {
        // sig1=("@method" "@target-uri" "content-digest");created=...;keyid="...";alg="rsa-v1_5-sha256"
        int eq = input.indexOf('=');
        String label = input.substring(0, eq).strip();
        String params = input.substring(eq + 1).strip();
        Matcher keyid = Pattern.compile(";keyid=\"([^\"]*)\"").matcher(params);
        if (!keyid.find() || !keyId.equals(keyid.group(1))) {
            return "unknown keyid";
        }
        Matcher sig = Pattern.compile(Pattern.quote(label) + "=:([A-Za-z0-9+/=]+):").matcher(field);
        if (!sig.find()) {
            return "no signature labelled " + label;
        }
        String contentDigest = "sha-256=:" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body)) + ":";
        if (!contentDigest.equals(exchange.getRequestHeaders().getFirst("Content-Digest"))) {
            return "Content-Digest does not match the body";
        }
        StringBuilder base = new StringBuilder();
        Matcher component = Pattern.compile("\"([^\"]+)\"").matcher(params.substring(0, params.indexOf(')')));
        boolean coversDigest = false;
        while (component.find()) {
            String c = component.group(1);
            String value = switch (c) {
                case "@method" -> exchange.getRequestMethod();
                case "@target-uri" -> "http://" + host + exchange.getRequestURI().getRawPath();
                case "@authority" -> host;
                case "@path" -> exchange.getRequestURI().getRawPath();
                default -> exchange.getRequestHeaders().getFirst(c);
            };
            coversDigest |= c.equals("content-digest");
            base.append('"').append(c).append("\": ").append(value).append('\n');
        }
        if (!coversDigest) {
            return "content-digest not covered";
        }
        base.append("\"@signature-params\": ").append(params);
        return rsa(base.toString(), Base64.getDecoder().decode(sig.group(1))) ? null : "RFC 9421 signature does not verify";
    }

    private boolean rsa(String base, byte[] signature) throws Exception {
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(key);
        verifier.update(base.getBytes(StandardCharsets.UTF_8));
        return verifier.verify(signature);
    }

    private String stats() {
        Map<String, Integer> perInbox = new ConcurrentHashMap<>();
        long duplicates = 0;
        long once = 0;
        for (var e : copies.entrySet()) {
            perInbox.merge(e.getKey().substring(0, e.getKey().indexOf(' ')), 1, Integer::sum);
            int n = e.getValue().get();
            duplicates += n - 1;
            once += n == 1 ? 1 : 0;
        }
        return "requests=" + requests.get() + " verified=" + verified.get() + " refused=" + refused.get() + " knocks=" + knocks.get()
                + " inboxes=" + perInbox.size() + " pairs=" + copies.size() + " once=" + once + " duplicates=" + duplicates
                + " first_ms=" + first.get() + " last_ms=" + last.get() + "\n";
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    private static void answer(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Just enough JSON: objects, arrays, strings, numbers, true, false, null. */
    static final class Json {
        private final String s;
        private int i;

        Json(String s) {
            this.s = s;
        }

        Object value() {
            Object v = any();
            space();
            if (i != s.length()) {
                throw new IllegalArgumentException("trailing characters at " + i);
            }
            return v;
        }

        private Object any() {
            space();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> map = new LinkedHashMap<>();
                i++;
                space();
                if (s.charAt(i) == '}') {
                    i++;
                    return map;
                }
                do {
                    space();
                    String k = string();
                    space();
                    expect(':');
                    map.put(k, any());
                    space();
                } while (s.charAt(i++) == ',');
                if (s.charAt(i - 1) != '}') {
                    throw new IllegalArgumentException("expected } at " + (i - 1));
                }
                return map;
            }
            if (c == '[') {
                List<Object> list = new ArrayList<>();
                i++;
                space();
                if (s.charAt(i) == ']') {
                    i++;
                    return list;
                }
                do {
                    list.add(any());
                    space();
                } while (s.charAt(i++) == ',');
                if (s.charAt(i - 1) != ']') {
                    throw new IllegalArgumentException("expected ] at " + (i - 1));
                }
                return list;
            }
            if (c == '"') {
                return string();
            }
            for (String word : List.of("true", "false", "null")) {
                if (s.startsWith(word, i)) {
                    i += word.length();
                    return word.equals("null") ? null : Boolean.valueOf(word);
                }
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            if (start == i) {
                throw new IllegalArgumentException("unexpected " + c + " at " + i);
            }
            return Double.valueOf(s.substring(start, i));
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        case 'r' -> out.append('\r');
                        case 'b' -> out.append('\b');
                        case 'f' -> out.append('\f');
                        case 'u' -> {
                            out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> out.append(e);
                    }
                } else {
                    out.append(c);
                }
            }
        }

        private void expect(char c) {
            if (s.charAt(i) != c) {
                throw new IllegalArgumentException("expected " + c + " at " + i);
            }
            i++;
        }

        private void space() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }
    }
}
