package io.imagegate.registry;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.Field;
import io.imagegate.message.Message;
import io.imagegate.registry.auth.CredentialProvider;
import io.imagegate.registry.auth.Credentials;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.HttpEntity;

/**
 * HTTP to registries, layered: {@link HttpClientFactory} (pooled client, TLS per registry, header
 * caps), {@link Exchanger} (one retry policy and the watchdog for every exchange), {@link
 * Endpoints} (the {@code /v2/} ping), {@link TokenClient} (Bearer tokens), {@link RegistryErrors}
 * (typed errors). This class puts them together for one request: authentication, re-authentication
 * on a 401, and redirects that never downgrade to plain HTTP and drop {@code Authorization} when
 * they leave the registry.
 */
public final class RegistryTransport implements Closeable {
    private static final int MAX_REDIRECTS = 5;

    private final TransportOptions options;
    private final CredentialProvider credentials;
    private final TransportListener listener;
    private final CloseableHttpClient http;

    /** The connections: the session's pool, this transport's own, or (a scope's) its parent's. */
    private final RegistrySession.Lease lease;

    private final RegistrySession session;
    private final Exchanger exchanger;
    private final Endpoints endpoints;
    private final TokenClient tokens;

    /**
     * Set when the process is being stopped: nothing new is sent but the DELETEs that abandon
     * uploads.
     */
    private volatile boolean stopping;

    /**
     * Upload sessions opened and not yet committed or abandoned, by location, with how to abandon
     * each.
     */
    private final Map<String, Runnable> openUploads =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A request to a registry. {@code target} is a path under the registry ({@code /v2/...}, with
     * query) or an absolute URL the registry handed out (an upload {@code Location}).
     */
    public record Request(
            String registry,
            String method,
            String target,
            Map<String, String> headers,
            HttpEntity body,
            Scopes scopes,
            ExchangeKind kind) {
        public Request {
            headers = Map.copyOf(headers);
            Objects.requireNonNull(scopes, "scopes");
            kind = kind == null ? ExchangeKind.SMALL : kind;
        }

        public static Request of(String registry, String method, String target, Scopes scopes) {
            return new Request(
                    registry, method, target, Map.of(), null, scopes, ExchangeKind.SMALL);
        }

        public Request withHeader(String name, String value) {
            Map<String, String> all = new HashMap<>(headers);
            all.put(name, value);
            return new Request(registry, method, target, all, body, scopes, kind);
        }

        public Request withBody(HttpEntity entity) {
            return new Request(registry, method, target, headers, entity, scopes, kind);
        }

        /** A blob transfer: bounded by its rate, not by the small-exchange deadline. */
        public Request transfer(ExchangeKind transferKind) {
            return new Request(registry, method, target, headers, body, scopes, transferKind);
        }
    }

    public RegistryTransport(
            TransportOptions options, CredentialProvider credentials, TransportListener listener) {
        this(options, credentials, listener, RegistrySession.forOneClient());
    }

    /**
     * A transport that shares registries' endpoints and its connections with the session's other
     * transports.
     */
    public RegistryTransport(
            TransportOptions options,
            CredentialProvider credentials,
            TransportListener listener,
            RegistrySession session) {
        this.options = options;
        this.credentials = credentials;
        this.listener = listener;
        this.session = session;
        this.lease = session.lease(options);
        this.http = lease.client();
        this.exchanger = new Exchanger(http, options, listener);
        this.endpoints = new Endpoints(exchanger, session);
        this.tokens = new TokenClient(exchanger);
    }

    private RegistryTransport(RegistryTransport parent) {
        this.options = parent.options;
        this.credentials = parent.credentials;
        this.listener = parent.listener;
        this.session = parent.session;
        this.lease = RegistrySession.borrowed(parent.http);
        this.http = parent.http;
        this.exchanger = parent.exchanger.child();
        this.endpoints = new Endpoints(exchanger, session);
        this.tokens = parent.tokens.through(exchanger);
    }

    /**
     * A transport over this one's connections, endpoints and tokens whose exchanges are its own:
     * {@link #abortAll()} and {@link #cancel()} on it cut off only them, it counts only them, and
     * its open uploads are its own to abandon. It must be closed before this one.
     */
    public RegistryTransport scope() {
        return new RegistryTransport(this);
    }

    /**
     * Loads and initialises the HTTP client's classes by building a client and closing it unused: a
     * short-lived process calls this on a spare thread while it parses its command line.
     */
    static void preload() {
        try (CloseableHttpClient unused = HttpClientFactory.create(TransportOptions.defaults())) {
            // built only for its classes
        } catch (IOException ignored) {
            // nothing was opened
        }
    }

    public TransportOptions options() {
        return options;
    }

    /** Requests sent so far, every attempt counted (pings and token requests included). */
    public long requestCount() {
        return exchanger.requestCount();
    }

    /**
     * Sends a request with authentication, retries and redirects, and returns the final answer
     * (which may be an error status: the caller decides what an error means). Failures without an
     * answer are typed {@link RegistryException}s.
     */
    public Response send(Request request) {
        if (stopping && !request.method().equals("DELETE")) {
            throw new RegistryException(
                    ErrorKind.INTERRUPTED,
                    Message.of(
                            "registry.stopping",
                            "imagegate is stopping; {0} {1} was not sent",
                            request.method(),
                            request.registry()),
                    0,
                    "");
        }
        Endpoints.Endpoint endpoint = endpoints.get(request.registry());
        URI base = endpoint.base();
        URI uri = resolve(request.registry(), base, request.target());
        boolean reauthenticated = false;
        int redirects = 0;
        Scopes scopes = request.scopes();
        boolean repeatable = request.body() == null || request.body().isRepeatable();
        String what = request.method() + " " + shortPath(uri);
        while (true) {
            // Authorization goes only to the registry itself: same scheme, same host and port.
            boolean toRegistry = sameOrigin(base, uri);
            Optional<String> authorization;
            try {
                authorization = toRegistry ? authorization(endpoint, scopes) : Optional.empty();
            } catch (RegistryException e) {
                throw e.kind() == ErrorKind.AUTHENTICATION
                        ? refusedCredentials(request, endpoint, scopes, uri, e.status()).orElse(e)
                        : e;
            }
            URI target = uri;
            Response response =
                    exchanger.exchange(
                            request.registry(),
                            what,
                            () -> {
                                HttpUriRequestBase message =
                                        new HttpUriRequestBase(request.method(), target);
                                request.headers().forEach(message::setHeader);
                                authorization.ifPresent(
                                        value -> message.setHeader("Authorization", value));
                                if (request.body() != null) {
                                    message.setEntity(request.body());
                                }
                                return message;
                            },
                            request.kind(),
                            repeatable);
            int status = response.status();
            readRateLimit(uri.getRawAuthority(), response);

            if (status == 401 && toRegistry && !reauthenticated && repeatable) {
                Optional<AuthChallenge> challenge =
                        response.header("WWW-Authenticate")
                                .flatMap(
                                        h ->
                                                AuthChallenge.parse(h).stream()
                                                        .filter(AuthChallenge::isBearer)
                                                        .findFirst());
                if (challenge.isPresent() || endpoint.challenge().isPresent()) {
                    reauthenticated = true;
                    if (challenge.isPresent()) {
                        endpoint = endpoint.withChallenge(challenge.get());
                        endpoints.update(endpoint);
                        Optional<String> wanted = challenge.get().param("scope");
                        if (wanted.isPresent()) {
                            scopes =
                                    scopes.plus(
                                            new Scopes(
                                                    new HashSet<>(
                                                            Arrays.asList(
                                                                    wanted.get()
                                                                            .strip()
                                                                            .split("\\s+")))));
                        }
                    }
                    tokens.invalidate(endpoint.registry(), scopes);
                    response.close();
                    continue;
                }
            }
            if (isRedirect(status)
                    && (request.method().equals("GET") || request.method().equals("HEAD"))
                    && response.header("Location").isPresent()) {
                String location = response.header("Location").get();
                response.close();
                if (++redirects > MAX_REDIRECTS) {
                    throw new RegistryException(
                            ErrorKind.INTEGRITY,
                            Message.of(
                                    "registry.redirect-loop",
                                    "{0} redirected {1} more than {2} times",
                                    request.registry(),
                                    what,
                                    MAX_REDIRECTS),
                            status,
                            "");
                }
                uri = redirectTarget(request.registry(), uri, location);
                continue;
            }
            if ((status == 401 || status == 403)
                    && toRegistry
                    && authorization.isPresent()
                    && (request.method().equals("GET") || request.method().equals("HEAD"))) {
                Optional<RegistryException> diagnosed =
                        refusedCredentials(request, endpoint, scopes, uri, status);
                if (diagnosed.isPresent()) {
                    response.close();
                    throw diagnosed.get();
                }
            }
            return response;
        }
    }

    /** Registries probed for anonymous pulls, and the answer: one probe each at most. */
    private final Map<String, Boolean> anonymousPulls =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * When the registry (or its token server) refused the stored credentials: whether it would have
     * allowed the pull anonymously, found by one anonymous probe of the same resource (a token
     * without credentials, then HEAD), done once per registry and only to say so. The request
     * itself is never retried anonymously: the error says where the credentials came from and how
     * to stop sending them. Empty when no credentials were sent, or the probe says no.
     */
    private Optional<RegistryException> refusedCredentials(
            Request request, Endpoints.Endpoint endpoint, Scopes scopes, URI uri, int status) {
        Optional<Credentials> creds = credentials.credentialsFor(endpoint.registry());
        if (creds.isEmpty()
                || !(request.method().equals("GET") || request.method().equals("HEAD"))) {
            return Optional.empty();
        }
        boolean allowed =
                anonymousPulls.computeIfAbsent(
                        endpoint.registry(), r -> probeAnonymous(endpoint, scopes, uri));
        if (!allowed) {
            return Optional.empty();
        }
        String origin =
                creds.get().source().isEmpty() ? "stored credentials" : creds.get().source();
        boolean docker = origin.startsWith("Docker config ");
        return Optional.of(
                new RegistryException(
                        ErrorKind.AUTHENTICATION,
                        Message.of(
                                "registry.credentials-refused-anonymous-allowed",
                                "{0} refused the credentials from {1} (HTTP {2}), but allows"
                                        + " anonymous pulls: {3}, or read it anonymously ({4} {0},"
                                        + " anonymous: [{0}] in a sync file)",
                                endpoint.registry(),
                                origin,
                                status,
                                docker
                                        ? "run `docker logout " + endpoint.registry() + "`"
                                        : "drop or renew those credentials",
                                Field.ANONYMOUS),
                        status,
                        "UNAUTHORIZED"));
    }

    private boolean probeAnonymous(Endpoints.Endpoint endpoint, Scopes scopes, URI uri) {
        Optional<String> token = Optional.empty();
        if (endpoint.challenge().isPresent() && endpoint.challenge().get().isBearer()) {
            token = tokens.anonymousProbe(endpoint.registry(), endpoint.challenge().get(), scopes);
            if (token.isEmpty()) {
                return false;
            }
        }
        Optional<String> bearer = token.map(t -> "Bearer " + t);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        // a tag listing has no HEAD in some registries; everything else is asked with HEAD
        String method = path.endsWith("/tags/list") ? "GET" : "HEAD";
        try (Response r =
                exchanger.exchange(
                        endpoint.registry(),
                        "an anonymous probe of " + shortPath(uri),
                        () -> {
                            HttpUriRequestBase message = new HttpUriRequestBase(method, uri);
                            bearer.ifPresent(v -> message.setHeader("Authorization", v));
                            message.setHeader("Accept", io.imagegate.oci.MediaTypes.acceptHeader());
                            return message;
                        },
                        ExchangeKind.SMALL,
                        true)) {
            return r.status() >= 200 && r.status() < 400;
        } catch (RegistryException e) {
            if (e.kind() == ErrorKind.INTERRUPTED) {
                throw e;
            }
            return false;
        }
    }

    /** The base URL a registry is reached at (its scheme, host and port). */
    URI baseOf(String registry) {
        return endpoints.get(registry).base();
    }

    /**
     * The URL a request goes to: a path under the registry's base, or an absolute URL the registry
     * handed out.
     */
    private URI resolve(String registry, URI base, String target) {
        URI uri;
        try {
            uri = base.resolve(new URI(target));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new RegistryException(
                    ErrorKind.INTEGRITY,
                    Message.of(
                            "registry.bad-location",
                            "{0} handed out a location that is not a valid URL",
                            registry),
                    0,
                    "");
        }
        checkTarget(registry, base, uri);
        return uri;
    }

    private URI redirectTarget(String registry, URI from, String location) {
        URI next;
        try {
            next = from.resolve(new URI(location));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new RegistryException(
                    ErrorKind.INTEGRITY,
                    Message.of(
                            "registry.bad-redirect",
                            "{0} redirected to a location that is not a valid URL",
                            registry),
                    0,
                    "");
        }
        checkTarget(registry, from, next);
        return next;
    }

    /**
     * Only http(s), and never from HTTPS down to plain HTTP unless that host may use plain HTTP.
     */
    private void checkTarget(String registry, URI from, URI to) {
        String scheme = to.getScheme() == null ? "" : to.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || to.getRawAuthority() == null) {
            throw new RegistryException(
                    ErrorKind.INTEGRITY,
                    Message.of(
                            "registry.bad-scheme",
                            "{0} sent imagegate to a location that is not an http(s) URL ({1}); refused",
                            registry,
                            scheme),
                    0,
                    "");
        }
        boolean downgrade = scheme.equals("http") && "https".equalsIgnoreCase(from.getScheme());
        if (scheme.equals("http")
                && (downgrade || !options.allowsPlainHttp(to.getRawAuthority()))) {
            throw new RegistryException(
                    ErrorKind.INTEGRITY,
                    Message.of(
                            "registry.downgrade",
                            "{0} sent imagegate from {1} to plain HTTP at {2}; refused. If that host is meant to be reached without TLS,"
                                    + " name it as an insecure registry ({3})",
                            registry,
                            from.getScheme() + "://" + from.getRawAuthority(),
                            to.getRawAuthority(),
                            Field.INSECURE_REGISTRY),
                    0,
                    "");
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getRawAuthority().equalsIgnoreCase(b.getRawAuthority());
    }

    private static String shortPath(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return path.length() > 200 ? path.substring(0, 200) + "…" : path;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private void readRateLimit(String host, Response response) {
        // Docker Hub: "ratelimit-remaining: 76;w=21600", "ratelimit-limit: 100;w=21600"
        Optional<String> remaining = response.header("ratelimit-remaining");
        if (remaining.isPresent()) {
            int left = leadingInt(remaining.get());
            int limit =
                    response.header("ratelimit-limit")
                            .map(RegistryTransport::leadingInt)
                            .orElse(-1);
            if (left >= 0) {
                listener.rateLimit(host, left, limit);
            }
        }
    }

    private static int leadingInt(String value) {
        int end = 0;
        while (end < value.length() && end < 9 && Character.isDigit(value.charAt(end))) {
            end++;
        }
        return end == 0 ? -1 : Integer.parseInt(value.substring(0, end));
    }

    // ---------------------------------------------------------------- authentication

    private Optional<String> authorization(Endpoints.Endpoint endpoint, Scopes scopes) {
        Optional<Credentials> creds = credentials.credentialsFor(endpoint.registry());
        if (creds.isPresent() && creds.get().kind() == Credentials.Kind.REGISTRY_TOKEN) {
            return Optional.of("Bearer " + creds.get().secret());
        }
        if (endpoint.challenge().isEmpty()) {
            return Optional.empty();
        }
        AuthChallenge challenge = endpoint.challenge().get();
        if (challenge.isBasic()) {
            return creds.filter(c -> c.kind() == Credentials.Kind.BASIC)
                    .map(RegistryTransport::basic);
        }
        return Optional.of("Bearer " + tokens.token(endpoint.registry(), challenge, scopes, creds));
    }

    static String basic(Credentials c) {
        return "Basic "
                + Base64.getEncoder()
                        .encodeToString(
                                (c.username() + ":" + c.secret()).getBytes(StandardCharsets.UTF_8));
    }

    /** Errors of a response as typed exceptions (see {@link RegistryErrors}). */
    RegistryException failure(
            Response r, String action, String registry, String repository, String access) {
        return RegistryErrors.failure(r, action, registry, repository, access, source(registry));
    }

    /**
     * Where the credentials for {@code registry} came from, for a refusal to name: {@code " (from
     * settings.xml server "id")"}, {@code " (none: anonymous)"}, or empty when not known.
     */
    private String source(String registry) {
        Optional<Credentials> creds;
        try {
            creds = credentials.credentialsFor(registry);
        } catch (RuntimeException e) {
            return ""; // the refusal is the error to report, not this lookup's
        }
        return creds.isEmpty()
                ? " (none: anonymous)"
                : creds.get().source().isEmpty() ? "" : " (from " + creds.get().source() + ")";
    }

    /** The error for an exchange cut off while its body was read. */
    RegistryException cutOff(
            String registry, String what, Watchdog.Reason reason, Throwable cause) {
        return exchanger.cutOffError(registry, what, reason, cause);
    }

    void uploadOpened(String location, Runnable abandon) {
        openUploads.put(location, abandon);
    }

    void uploadClosed(String location) {
        openUploads.remove(location);
    }

    /**
     * Abandons (DELETE) every upload session still open: after a failure, or when the process is
     * being stopped.
     */
    public void abandonOpenUploads() {
        for (Map.Entry<String, Runnable> e : Map.copyOf(openUploads).entrySet()) {
            try {
                e.getValue().run();
            } catch (RuntimeException ignored) {
                // best effort: the registry expires sessions on its own
            }
            openUploads.remove(e.getKey());
        }
    }

    /** Whether {@link #stop()} was called: the process is on its way out. */
    public boolean isStopping() {
        return stopping;
    }

    /** Stops sending (but for abandoning uploads) and cuts off every exchange under way. */
    public void stop() {
        stopping = true;
        abortAll();
    }

    /** Cuts off every exchange under way: blocked reads and writes fail at once. */
    public void abortAll() {
        exchanger.abortAll();
    }

    /** Cuts off every exchange under way, pings included, and every one started later. */
    public void cancel() {
        exchanger.cancel();
    }

    @Override
    public void close() {
        exchanger.close();
        lease.close();
    }
}
