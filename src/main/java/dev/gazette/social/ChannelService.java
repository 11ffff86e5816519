package dev.gazette.social;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gazette.article.Topic;
import dev.gazette.common.Text;
import dev.gazette.common.error.Problem;
import dev.gazette.common.error.ProblemException;
import dev.gazette.mail.HeaderFields;
import dev.gazette.social.spi.ChannelAccess;
import dev.gazette.social.spi.Connector;
import dev.gazette.social.spi.CredentialField;
import dev.gazette.social.spi.SessionStore;
import dev.gazette.social.spi.SocialHttp;
import dev.gazette.social.spi.Verification;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

/**
 * Creates, changes and checks channels; opens their sealed credentials for the connectors.
 */
@ApplicationScoped
public class ChannelService {

    static final String CREDENTIALS = "credentials";
    static final String SESSION = "session";
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {
    };
    private static final int MAX_CREDENTIAL = 4000;
    private static final String NOT_CHECKED = "The credentials are being checked with the network; posts wait until it"
            + " accepts them.";

    private final Connectors connectors;
    private final CredentialCipher cipher;
    private final PostTemplates templates;
    private final SocialHttp http;
    private final ObjectMapper json;
    private final Clock clock;

    ChannelService(Connectors connectors, CredentialCipher cipher, PostTemplates templates, SocialHttp http, ObjectMapper json,
            Clock clock) {
        this.connectors = connectors;
        this.cipher = cipher;
        this.templates = templates;
        this.http = http;
        this.json = json;
        this.clock = clock;
    }

    public List<Channel> list() {
        return Channel.list("select distinct c from Channel c left join fetch c.topics order by c.id");
    }

    public Channel get(long id) {
        return Channel.<Channel>find("select c from Channel c left join fetch c.topics where c.id = ?1", id)
                .singleResultOptional().orElseThrow(() -> ProblemException.notFound("Channel " + id));
    }

    @Transactional
    public Channel create(ChannelInput in) {
        List<Problem.Violation> problems = new ArrayList<>();
        if (in.network() == null) {
            throw ProblemException.invalid("network", "must be one of " + List.of(Network.values()));
        }
        Connector connector = connectors.find(in.network())
                .orElseThrow(() -> ProblemException.invalid("network", in.network() + " is not supported by this server"));
        Channel c = new Channel();
        c.network = in.network();
        c.status = ChannelStatus.ACTIVE;
        c.autoPost = true;
        c.allTopics = true;
        c.timeZone = "UTC";
        if (in.name() == null || in.name().isBlank()) {
            problems.add(new Problem.Violation("name", "must not be blank"));
        }
        Map<String, String> credentials = new TreeMap<>();
        apply(c, connector, in, credentials, problems);
        for (CredentialField field : connector.credentialFields()) {
            if (field.required() && !credentials.containsKey(field.name())) {
                problems.add(new Problem.Violation("credentials." + field.name(), "is required: " + field.description()));
            }
        }
        connector.problems(c.account, credentials).forEach((field, message) -> problems.add(new Problem.Violation(field, message)));
        if (!problems.isEmpty()) {
            throw new ProblemException(400, "Bad Request", "The channel is not valid.", problems);
        }
        if (in.status() != null && in.status() != ChannelStatus.ACTIVE && in.status() != ChannelStatus.DISABLED) {
            throw ProblemException.invalid("status", "can be set to ACTIVE or DISABLED");
        }
        if (in.status() == ChannelStatus.DISABLED) {
            c.status = ChannelStatus.DISABLED;
        }
        c.credentials = cipher.seal(write(credentials), CREDENTIALS);
        c.created(clock.instant());
        c.persist();
        return c;
    }

    /**
     * Creates a channel that posts only once the network has confirmed its credentials: it starts UNVERIFIED, and
     * {@link #verify(long)} (called next, outside this transaction, since it waits on the network) makes it ACTIVE. A
     * crash in between leaves a channel that does not post, never one posting with unchecked credentials.
     */
    @Transactional
    public Channel createToVerify(ChannelInput in) {
        Channel c = create(in);
        if (c.status == ChannelStatus.ACTIVE) {
            c.status = ChannelStatus.UNVERIFIED;
            c.statusReason = NOT_CHECKED;
        }
        return c;
    }

    /**
     * Changes a channel; new credentials (or a new address or account) hold it UNVERIFIED until {@link #verify(long)}
     * confirms them, instead of lifting a NEEDS_REAUTH at once as {@link #update} does for the API.
     */
    @Transactional
    public Channel updateToVerify(long id, ChannelInput in) {
        return change(id, in, true);
    }

    @Transactional
    public Channel update(long id, ChannelInput in) {
        return change(id, in, false);
    }

    private Channel change(long id, ChannelInput in, boolean holdUntilVerified) {
        Channel c = get(id);
        if (in.network() != null && in.network() != c.network) {
            throw ProblemException.invalid("network", "cannot change; create a new channel instead");
        }
        Connector connector = connectors.get(c.network);
        List<Problem.Violation> problems = new ArrayList<>();
        Map<String, String> credentials = new TreeMap<>(credentials(c));
        boolean newCredentials = in.credentials() != null && !in.credentials().isEmpty();
        String oldBase = c.baseUrl;
        String oldAccount = c.account;
        apply(c, connector, in, credentials, problems);
        connector.problems(c.account, credentials).forEach((field, message) -> problems.add(new Problem.Violation(field, message)));
        if (!problems.isEmpty()) {
            throw new ProblemException(400, "Bad Request", "The channel is not valid.", problems);
        }
        if (newCredentials || !java.util.Objects.equals(oldBase, c.baseUrl) || !java.util.Objects.equals(oldAccount, c.account)) {
            c.credentials = cipher.seal(write(credentials), CREDENTIALS);
            c.session = null; // a cached session belongs to the old credentials
            boolean waiting = c.status == ChannelStatus.NEEDS_REAUTH || c.status == ChannelStatus.UNVERIFIED;
            if (holdUntilVerified && (waiting || c.status == ChannelStatus.ACTIVE) && in.status() == null) {
                c.status = ChannelStatus.UNVERIFIED;
                c.statusReason = NOT_CHECKED;
            } else if (waiting && in.status() == null) {
                c.status = ChannelStatus.ACTIVE;
                c.statusReason = null;
            }
        }
        if (in.template() != null && c.status == ChannelStatus.PAUSED && c.pausedUntil == null) {
            // paused for its template (see pauseUnsafeTemplates), which now passed the checks
            c.status = ChannelStatus.ACTIVE;
            c.statusReason = null;
        }
        if (in.status() != null) {
            if (in.status() != ChannelStatus.ACTIVE && in.status() != ChannelStatus.DISABLED) {
                throw ProblemException.invalid("status", "can be set to ACTIVE or DISABLED");
            }
            c.status = in.status();
            c.pausedUntil = null;
            c.statusReason = null;
        }
        c.updatedAt = clock.instant();
        return c;
    }

    void onStart(@Observes StartupEvent event) {
        int paused = pauseUnsafeTemplates();
        if (paused > 0) {
            Log.warnf("%d channel(s) paused: their post template uses what templates may no longer use (see each channel's"
                    + " status); editing the template resumes posting", paused);
        }
    }

    /**
     * Pauses, without an end, the channels whose saved template would be refused today (one saved before templates
     * were restricted could print configuration values); saving a valid template resumes them. Returns how many.
     */
    @Transactional
    public int pauseUnsafeTemplates() {
        int paused = 0;
        for (Channel c : Channel.<Channel>list("template is not null")) {
            String problem = templates.problem(c.template);
            if (problem != null && c.status != ChannelStatus.DISABLED && !(c.status == ChannelStatus.PAUSED && c.pausedUntil == null)) {
                c.status = ChannelStatus.PAUSED;
                c.pausedUntil = null;
                c.statusReason = "The post template " + problem + ". Edit the template to resume posting.";
                c.updatedAt = clock.instant();
                paused++;
            }
        }
        return paused;
    }

    @Transactional
    public void delete(long id) {
        get(id).delete();
    }

    private void apply(Channel c, Connector connector, ChannelInput in, Map<String, String> credentials,
            List<Problem.Violation> problems) {
        if (in.name() != null && !in.name().isBlank()) {
            c.name = in.name().strip();
        }
        if (in.baseUrl() != null) {
            c.baseUrl = in.baseUrl().isBlank() ? null : Text.withoutTrailingSlash(in.baseUrl());
        }
        if (c.baseUrl == null && connector.usesBaseUrl()) {
            c.baseUrl = connector.defaultBaseUrl().orElse(null);
            if (c.baseUrl == null) {
                problems.add(new Problem.Violation("baseUrl", "is required for " + c.network));
            }
        }
        if (c.baseUrl != null) {
            if (!connector.usesBaseUrl()) {
                problems.add(new Problem.Violation("baseUrl", c.network + " channels have no base URL"));
            } else {
                try {
                    http.checkAddress(java.net.URI.create(c.baseUrl));
                } catch (IllegalArgumentException e) {
                    problems.add(new Problem.Violation("baseUrl", "is not a valid URL"));
                } catch (SocialHttp.NotSent e) {
                    problems.add(new Problem.Violation("baseUrl", e.getMessage()));
                }
            }
        }
        if (in.account() != null) {
            c.account = in.account().isBlank() ? null : in.account().strip();
        }
        if (in.credentials() != null) {
            Set<String> known = connector.credentialFields().stream().map(CredentialField::name).collect(Collectors.toSet());
            in.credentials().forEach((name, value) -> {
                if (!known.contains(name)) {
                    problems.add(new Problem.Violation("credentials." + name, "is not a " + c.network + " credential; expected "
                            + String.join(", ", known)));
                } else if (value == null || value.isBlank()) {
                    credentials.remove(name);
                } else if (value.length() > MAX_CREDENTIAL) {
                    problems.add(new Problem.Violation("credentials." + name, "is too long"));
                } else if (HeaderFields.hasControlCharacters(value.strip())) {
                    // Credentials travel in HTTP headers (Authorization): a line break would start a header of its own.
                    problems.add(new Problem.Violation("credentials." + name, HeaderFields.CONTROL_CHARACTERS));
                } else {
                    credentials.put(name, value.strip());
                }
            });
        }
        if (in.template() != null) {
            c.template = in.template().isBlank() ? null : in.template();
            String problem = templates.problem(c.template);
            if (problem != null) {
                problems.add(new Problem.Violation("template", problem));
            }
        }
        if (in.autoPost() != null) {
            c.autoPost = in.autoPost();
        }
        if (in.topics() != null) {
            c.topics = Topic.resolve(in.topics(), problems);
            c.allTopics = c.topics.isEmpty();
        }
        if (in.delayMinutes() != null) {
            c.delayMinutes = in.delayMinutes();
        }
        if (in.postFrom() != null) {
            c.postFrom = in.postFrom().isBlank() ? null : LocalTime.parse(in.postFrom());
        }
        if (in.postUntil() != null) {
            c.postUntil = in.postUntil().isBlank() ? null : LocalTime.parse(in.postUntil());
        }
        if ((c.postFrom == null) != (c.postUntil == null)) {
            problems.add(new Problem.Violation(c.postFrom == null ? "postFrom" : "postUntil",
                    "posting hours need a start and an end: give both, or leave both empty to post at any hour"));
        } else if (c.postFrom != null && c.postFrom.equals(c.postUntil)) {
            problems.add(new Problem.Violation("postUntil", "must differ from postFrom"));
        }
        if (in.timeZone() != null) {
            try {
                c.timeZone = ZoneId.of(in.timeZone().strip()).getId();
            } catch (DateTimeException e) {
                problems.add(new Problem.Violation("timeZone", "is not a known time zone, e.g. Europe/Paris"));
            }
        }
        if (in.announceDigests() != null) {
            c.announceDigests = in.announceDigests();
        }
    }

    /**
     * Asks the network whether the credentials work, and records the answer on the channel: accepted, a channel waiting
     * for credentials (NEEDS_REAUTH, UNVERIFIED) posts again; refused, it needs new ones; no answer, an UNVERIFIED
     * channel keeps waiting, with the reason.
     */
    public Verification verify(long id) {
        Channel c = QuarkusTransaction.requiringNew().call(() -> get(id));
        Verification v = connectors.get(c.network).verify(access(c));
        QuarkusTransaction.requiringNew().run(() -> {
            Channel fresh = get(id);
            if (v.ok()) {
                fresh.accountName = Text.truncate(v.detail(), 300);
                fresh.maxCharacters = v.maxCharacters();
                fresh.verifiedAt = clock.instant();
                if (fresh.status == ChannelStatus.NEEDS_REAUTH || fresh.status == ChannelStatus.UNVERIFIED) {
                    fresh.status = ChannelStatus.ACTIVE;
                    fresh.statusReason = null;
                }
            } else if (v.authProblem()) {
                needsReauth(fresh, v.detail());
            } else if (fresh.status == ChannelStatus.UNVERIFIED) {
                fresh.statusReason = Text.truncate("The network did not answer the check: " + v.detail()
                        + ". Posts wait: verify again once it is reachable.", 1000);
            }
        });
        return v;
    }

    static void needsReauth(Channel c, String reason) {
        c.status = ChannelStatus.NEEDS_REAUTH;
        c.statusReason = reauthReason(reason);
    }

    /** What editors see on a channel whose credentials the network refused. */
    static String reauthReason(String reason) {
        return Text.truncate("Credentials refused: " + (reason == null ? "no reason given" : reason)
                + " — give new credentials", 1000);
    }

    /** The names of the credentials a channel has, never their values. */
    public Set<String> credentialNames(Channel c) {
        return credentials(c).keySet();
    }

    /** What a connector needs to post to the channel, with the credentials opened. */
    public ChannelAccess access(Channel c) {
        long id = c.id;
        SessionStore sessions = new SessionStore() {
            @Override
            public Optional<String> load() {
                byte[] sealed = QuarkusTransaction.requiringNew().call(() -> {
                    Channel fresh = Channel.findById(id);
                    return fresh == null ? null : fresh.session;
                });
                return Optional.ofNullable(sealed).map(s -> cipher.open(s, SESSION));
            }

            @Override
            public void save(String session) {
                byte[] sealed = cipher.seal(session, SESSION);
                QuarkusTransaction.requiringNew().run(() -> Channel.update("session = ?1 where id = ?2", sealed, id));
            }

            @Override
            public void clear() {
                QuarkusTransaction.requiringNew().run(() -> Channel.update("session = null where id = ?1", id));
            }
        };
        return new ChannelAccess(id, c.baseUrl, c.account, Map.copyOf(credentials(c)), sessions, c.maxCharacters);
    }

    /** The channel's address and limits without its credentials: enough to count text, not to post. */
    static ChannelAccess withoutCredentials(Channel c) {
        return new ChannelAccess(c.id == null ? 0 : c.id, c.baseUrl, c.account, Map.of(), SessionStore.inMemory(), c.maxCharacters);
    }

    private Map<String, String> credentials(Channel c) {
        if (c.credentials == null) {
            return Map.of();
        }
        try {
            return json.readValue(cipher.open(c.credentials, CREDENTIALS), MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored credentials of channel " + c.id + " are not readable", e);
        }
    }

    private String write(Map<String, String> credentials) {
        try {
            return json.writeValueAsString(new HashMap<>(credentials));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Seals every channel's credentials and session again under the current key (after a key rotation). */
    @Transactional
    public int resealAll() {
        int count = 0;
        for (Channel c : Channel.<Channel>listAll()) {
            if (cipher.needsResealing(c.credentials) || cipher.needsResealing(c.session)) {
                c.credentials = cipher.seal(cipher.open(c.credentials, CREDENTIALS), CREDENTIALS);
                c.session = c.session == null ? null : cipher.seal(cipher.open(c.session, SESSION), SESSION);
                count++;
            }
        }
        return count;
    }
}
