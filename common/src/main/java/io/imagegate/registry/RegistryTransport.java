package io.imagegate.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.reference.ImageReference;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.client5.http.cookie.CookieSpecFactory;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import javax.net.ssl.SSLException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP to registries: one pooled HTTP/1.1 client with several connections per host, the {@code /v2/} ping
 * that decides the scheme and the auth challenge, Basic and Bearer authentication (token exchange with
 * repository scopes, cached), retries with backoff shared per host, manual redirects that drop
 * {@code Authorization} when the host changes, and a deadline for each whole request.
 */
public final class RegistryTransport implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER_AGENT = "imagegate/0.1";
    private static final int MAX_REDIRECTS = 5;

    private final TransportOptions options;
    private final CredentialProvider credentials;
    private final TransportListener listener;
    private final CloseableHttpClient http;
    private final ScheduledExecutorService deadlines;
    private final Backoff backoff = new Backoff();
    private final TokenCache tokens = new TokenCache();
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();

    /** Where a registry's API lives and how it wants to be authenticated, from its {@code /v2/} answer. */
    record Endpoint(String registry, URI base, Optional<AuthChallenge> challenge) {
    }

    /**
     * A request to a registry. {@code target} is a path under the registry ({@code /v2/...}, with query) or an
     * absolute URL the registry handed out (an upload {@code Location}).
     */
    public record Request(String registry, String method, String target, Map<String, String> headers, HttpEntity body,
                          Scopes scopes) {
        public Request {
            headers = Map.copyOf(headers);
            Objects.requireNonNull(scopes, "scopes");
        }

        public static Request of(String registry, String method, String target, Scopes scopes) {
            return new Request(registry, method, target, Map.of(), null, scopes);
        }

        public Request withHeader(String name, String value) {
            Map<String, String> all = new java.util.HashMap<>(headers);
            all.put(name, value);
            return new Request(registry, method, target, all, body, scopes);
        }

        public Request withBody(HttpEntity entity) {
            return new Request(registry, method, target, headers, entity, scopes);
        }
    }

    public RegistryTransport(TransportOptions options, CredentialProvider credentials, TransportListener listener) {
        this.options = options;
        this.credentials = credentials;
        this.listener = listener;
        this.http = httpClient(options);
        this.deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "imagegate-request-deadlines");
            t.setDaemon(true);
            return t;
        });
    }

    private static CloseableHttpClient httpClient(TransportOptions options) {
        PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setTlsSocketStrategy(new LazyTls(options))
                .setMaxConnTotal(64)
                .setMaxConnPerRoute(16)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(options.connectTimeout()))
                        .setSocketTimeout(Timeout.of(options.readTimeout()))
                        .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                        .build())
                .build();
        return HttpClients.custom()
                .setConnectionManager(connections)
                .setUserAgent(USER_AGENT)
                .disableRedirectHandling()
                .disableContentCompression() // bytes must arrive as stored, or digests change
                .disableAutomaticRetries()
                .disableCookieManagement()
                // Registries set no cookies; without this the builder parses the public suffix list for a cookie
                // registry nobody uses, most of the client's start-up time (seen with JFR, docs/performance.md).
                .setDefaultCookieSpecRegistry(RegistryBuilder.<CookieSpecFactory>create().build())
                .disableAuthCaching()
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(options.readTimeout()))
                        .setAuthenticationEnabled(false)
                        .build())
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .build();
    }

    /**
     * Loads and initialises the HTTP client's classes by building a client and closing it unused: a
     * short-lived process calls this on a spare thread while it parses its command line.
     */
    static void preload() {
        try (CloseableHttpClient unused = httpClient(TransportOptions.defaults())) {
            // built only for its classes
        } catch (IOException ignored) {
            // nothing was opened
        }
    }

    public TransportOptions options() {
        return options;
    }

    /**
     * TLS set up on the first HTTPS connection: loading the JVM trust store costs a short-lived process about a
     * tenth of a second, wasted when every registry it talks to is plain-HTTP loopback. A bad CA file is still
     * reported up front.
     */
    private static final class LazyTls implements TlsSocketStrategy {
        private final TransportOptions options;
        private volatile TlsSocketStrategy delegate;

        LazyTls(TransportOptions options) {
            this.options = options;
            options.caFile().ifPresent(TlsContexts::checkReadable);
        }

        @Override
        public javax.net.ssl.SSLSocket upgrade(java.net.Socket socket, String target, int port, Object attachment,
                                               org.apache.hc.core5.http.protocol.HttpContext context) throws IOException {
            TlsSocketStrategy tls = delegate;
            if (tls == null) {
                synchronized (this) {
                    if (delegate == null) {
                        delegate = ClientTlsStrategyBuilder.create().setSslContext(TlsContexts.create(options.caFile())).buildClassic();
                    }
                    tls = delegate;
                }
            }
            return tls.upgrade(socket, target, port, attachment, context);
        }
    }

    /** Requests sent so far, every attempt counted. */
    public long requestCount() {
        return requests.get();
    }

    /** An open response. Close it; a blob body streams from it. */
    public static final class Response implements Closeable {
        private final ClassicHttpResponse raw;
        private final ScheduledFuture<?> deadline;
        private final URI uri;
        private final HttpUriRequestBase request;

        Response(ClassicHttpResponse raw, ScheduledFuture<?> deadline, URI uri, HttpUriRequestBase request) {
            this.raw = raw;
            this.deadline = deadline;
            this.uri = uri;
            this.request = request;
        }

        public int status() {
            return raw.getCode();
        }

        /** The URL that finally answered (after redirects). */
        public URI uri() {
            return uri;
        }

        public Optional<String> header(String name) {
            Header h = raw.getFirstHeader(name);
            return h == null ? Optional.empty() : Optional.of(h.getValue());
        }

        /** The body stream, or an empty stream. */
        public InputStream body() throws IOException {
            HttpEntity entity = raw.getEntity();
            return entity == null ? InputStream.nullInputStream() : entity.getContent();
        }

        public long contentLength() {
            HttpEntity entity = raw.getEntity();
            return entity == null ? -1 : entity.getContentLength();
        }

        /** Reads the whole body, refusing more than {@code limit} bytes (manifests and error documents are small). */
        public byte[] bodyBytes(int limit) throws IOException {
            try (InputStream in = body()) {
                byte[] bytes = in.readNBytes(limit + 1);
                if (bytes.length > limit) {
                    throw new IOException("response body of " + uri + " is larger than " + limit + " bytes");
                }
                return bytes;
            }
        }

        @Override
        public void close() {
            deadline.cancel(false);
            try {
                raw.close();
            } catch (IOException ignored) {
                // closing a response we are done with
            }
        }

        /** Drops the connection instead of reading the rest of the body (close() would drain it). */
        public void abort() {
            deadline.cancel(false);
            request.cancel();
            try {
                raw.close();
            } catch (IOException | RuntimeException ignored) {
                // the connection is already gone
            }
        }
    }

    /**
     * Sends a request with authentication, retries and redirects, and returns the final response (which may be
     * an error status: the caller decides what an error means). Connection failures that outlast the retries
     * become a {@link RegistryException}.
     */
    public Response send(Request request) {
        Endpoint endpoint = endpoint(request.registry());
        URI uri = endpoint.base().resolve(request.target());
        String originalAuthority = uri.getRawAuthority();
        boolean reauthenticated = false;
        int attempt = 0;
        int redirects = 0;
        Scopes scopes = request.scopes();
        boolean repeatable = request.body() == null || request.body().isRepeatable();
        while (true) {
            boolean sameHost = originalAuthority.equalsIgnoreCase(uri.getRawAuthority());
            String host = uri.getRawAuthority();
            try {
                backoff.await(host);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException("interrupted while waiting to retry " + request.method() + " " + uri.getPath(), e);
            }
            HttpUriRequestBase message = new HttpUriRequestBase(request.method(), uri);
            request.headers().forEach(message::setHeader);
            if (sameHost) {
                authorization(endpoint, scopes).ifPresent(value -> message.setHeader("Authorization", value));
            }
            if (request.body() != null) {
                message.setEntity(request.body());
            }
            Response response;
            try {
                requests.incrementAndGet();
                ScheduledFuture<?> deadline = deadlines.schedule(message::cancel, options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
                try {
                    response = new Response(http.executeOpen(null, message, null), deadline, uri, message);
                } catch (IOException | RuntimeException e) {
                    deadline.cancel(false);
                    throw e;
                }
            } catch (IOException e) {
                if (request.body() != null && !repeatable) {
                    throw new RegistryException(request.method() + " " + uri.getPath() + " to " + request.registry()
                            + " failed: " + describe(e), e);
                }
                if (attempt < options.maxRetries()) {
                    attempt++;
                    Duration delay = backoff.delay(attempt);
                    listener.retrying(host, request.method(), uri.getPath(), describe(e), delay, attempt);
                    sleep(delay);
                    continue;
                }
                throw new RegistryException("cannot reach " + request.registry() + " (" + request.method() + " " + uri.getPath()
                        + "): " + describe(e) + " after " + (attempt + 1) + " attempts", e);
            }
            int status = response.status();
            listener.requestCompleted(host, request.method(), uri.getPath(), status);
            readRateLimit(host, response);

            if (status == 401 && sameHost && !reauthenticated && repeatable) {
                Optional<AuthChallenge> challenge = bearerChallenge(response);
                if (challenge.isPresent() || endpoint.challenge().isPresent()) {
                    reauthenticated = true;
                    if (challenge.isPresent()) {
                        endpoint = new Endpoint(endpoint.registry(), endpoint.base(), challenge);
                        endpoints.put(endpoint.registry(), endpoint);
                        Optional<String> wanted = challenge.get().param("scope");
                        if (wanted.isPresent()) {
                            scopes = scopes.plus(new Scopes(java.util.Set.of(wanted.get().split(" "))));
                        }
                    }
                    tokens.invalidate(endpoint.registry(), scopes);
                    response.close();
                    continue;
                }
            }
            if ((status == 429 || status >= 500) && repeatable && attempt < options.maxRetries()) {
                Optional<Duration> retryAfter = Backoff.parseRetryAfter(response.header("Retry-After").orElse(null));
                if (retryAfter.isEmpty() || retryAfter.get().compareTo(Backoff.MAX_RETRY_AFTER) <= 0) {
                    attempt++;
                    Duration delay = retryAfter.isPresent() ? retryAfter.get() : backoff.delay(attempt);
                    if (status == 429 || status == 503) {
                        backoff.pause(host, delay);
                    }
                    listener.retrying(host, request.method(), uri.getPath(), "HTTP " + status, delay, attempt);
                    response.close();
                    if (status != 429 && status != 503) {
                        sleep(delay);
                    }
                    continue;
                }
            }
            if (isRedirect(status) && (request.method().equals("GET") || request.method().equals("HEAD"))
                    && response.header("Location").isPresent()) {
                if (++redirects > MAX_REDIRECTS) {
                    response.close();
                    throw new RegistryException(request.registry() + " redirected " + request.method() + " " + request.target()
                            + " more than " + MAX_REDIRECTS + " times", status, "");
                }
                URI next = uri.resolve(response.header("Location").get());
                response.close();
                uri = next;
                continue;
            }
            return response;
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while waiting to retry", e);
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private void readRateLimit(String host, Response response) {
        // Docker Hub: "ratelimit-remaining: 76;w=21600", "ratelimit-limit: 100;w=21600"
        Optional<String> remaining = response.header("ratelimit-remaining");
        if (remaining.isPresent()) {
            int left = leadingInt(remaining.get());
            int limit = response.header("ratelimit-limit").map(RegistryTransport::leadingInt).orElse(-1);
            if (left >= 0) {
                listener.rateLimit(host, left, limit);
            }
        }
    }

    private static int leadingInt(String value) {
        int end = 0;
        while (end < value.length() && Character.isDigit(value.charAt(end))) {
            end++;
        }
        return end == 0 ? -1 : Integer.parseInt(value.substring(0, end));
    }

    private static Optional<AuthChallenge> bearerChallenge(Response response) {
        return response.header("WWW-Authenticate").flatMap(h -> AuthChallenge.parse(h).stream()
                .filter(AuthChallenge::isBearer).findFirst());
    }

    // ---------------------------------------------------------------- endpoints

    /** The registry's API base and challenge, from one {@code /v2/} ping per registry. */
    Endpoint endpoint(String registry) {
        Endpoint known = endpoints.get(registry);
        if (known != null) {
            return known;
        }
        synchronized (locks.computeIfAbsent("ping:" + registry, k -> new Object())) {
            known = endpoints.get(registry);
            if (known == null) {
                known = ping(registry);
                endpoints.put(registry, known);
            }
            return known;
        }
    }

    private Endpoint ping(String registry) {
        String apiHost = registry.equals(ImageReference.DOCKER_HUB) ? ImageReference.DOCKER_HUB_API : registry;
        // Where plain HTTP is allowed, ask over HTTP first: a TLS server answers that with 400 at once, while a
        // plain server may never answer a TLS ClientHello and leave the handshake hanging until its timeout.
        List<String> schemes = options.allowsPlainHttp(registry) ? List.of("http", "https") : List.of("https");
        RegistryException last = null;
        for (String scheme : schemes) {
            URI base = URI.create(scheme + "://" + apiHost + "/");
            try {
                return pingOnce(registry, base);
            } catch (RegistryException e) {
                last = e;
                boolean tlsServer = scheme.equals("http") && e.status() == 400;
                if (!(e.getCause() instanceof IOException) && !tlsServer) {
                    throw e;
                }
            }
        }
        if (last != null && last.getCause() instanceof SSLException) {
            throw new RegistryException("cannot reach " + registry + " over HTTPS: " + describe(last.getCause())
                    + "; if it uses a private CA, pass its certificate as the CA file (--ca-file); if it only speaks plain"
                    + " HTTP, name it as an insecure registry (--insecure-registry)", last.getCause());
        }
        throw last;
    }

    private Endpoint pingOnce(String registry, URI base) {
        URI uri = base.resolve("/v2/");
        int attempt = 0;
        while (true) {
            HttpUriRequestBase message = new HttpUriRequestBase("GET", uri);
            requests.incrementAndGet();
            try (ClassicHttpResponse raw = http.executeOpen(null, message, null)) {
                int status = raw.getCode();
                listener.requestCompleted(uri.getRawAuthority(), "GET", "/v2/", status);
                EntityUtils.consume(raw.getEntity());
                if (status == 200) {
                    return new Endpoint(registry, base, Optional.empty());
                }
                if (status == 401) {
                    Header header = raw.getFirstHeader("WWW-Authenticate");
                    List<AuthChallenge> challenges = AuthChallenge.parse(header == null ? null : header.getValue());
                    Optional<AuthChallenge> chosen = challenges.stream().filter(AuthChallenge::isBearer).findFirst()
                            .or(() -> challenges.stream().filter(AuthChallenge::isBasic).findFirst());
                    if (chosen.isEmpty()) {
                        throw new RegistryException(registry + " asks for authentication with an unsupported scheme ("
                                + (header == null ? "no WWW-Authenticate header" : header.getValue()) + ")", 401, "");
                    }
                    return new Endpoint(registry, base, chosen);
                }
                if ((status == 429 || status >= 500) && attempt < options.maxRetries()) {
                    attempt++;
                    Header retryAfter = raw.getFirstHeader("Retry-After");
                    Duration delay = Backoff.parseRetryAfter(retryAfter == null ? null : retryAfter.getValue())
                            .orElseGet(() -> backoff.delay(1));
                    listener.retrying(uri.getRawAuthority(), "GET", "/v2/", "HTTP " + status, delay, attempt);
                    sleep(delay);
                    continue;
                }
                throw new RegistryException(registry + " is not an OCI registry or is unavailable: GET " + uri
                        + " answered HTTP " + status, status, "");
            } catch (IOException e) {
                throw new RegistryException("cannot reach " + registry + " at " + base + ": " + describe(e), e);
            }
        }
    }

    // ---------------------------------------------------------------- authentication

    private Optional<String> authorization(Endpoint endpoint, Scopes scopes) {
        Optional<Credentials> creds = credentials.credentialsFor(endpoint.registry());
        if (creds.isPresent() && creds.get().kind() == Credentials.Kind.REGISTRY_TOKEN) {
            return Optional.of("Bearer " + creds.get().secret());
        }
        if (endpoint.challenge().isEmpty()) {
            return Optional.empty();
        }
        AuthChallenge challenge = endpoint.challenge().get();
        if (challenge.isBasic()) {
            return creds.filter(c -> c.kind() == Credentials.Kind.BASIC).map(RegistryTransport::basic);
        }
        return Optional.of("Bearer " + token(endpoint, challenge, scopes, creds));
    }

    private static String basic(Credentials c) {
        return "Basic " + Base64.getEncoder().encodeToString((c.username() + ":" + c.secret()).getBytes(StandardCharsets.UTF_8));
    }

    private String token(Endpoint endpoint, AuthChallenge challenge, Scopes scopes, Optional<Credentials> creds) {
        String registry = endpoint.registry();
        Optional<TokenCache.Token> cached = tokens.find(registry, scopes);
        if (cached.isPresent()) {
            return cached.get().value();
        }
        synchronized (locks.computeIfAbsent("token:" + registry + scopes.sorted(), k -> new Object())) {
            cached = tokens.find(registry, scopes);
            if (cached.isPresent()) {
                return cached.get().value();
            }
            TokenCache.Token token = fetchToken(registry, challenge, scopes, creds);
            tokens.put(registry, token);
            return token.value();
        }
    }

    private TokenCache.Token fetchToken(String registry, AuthChallenge challenge, Scopes scopes, Optional<Credentials> creds) {
        String realm = challenge.param("realm").orElseThrow(() -> new RegistryException(
                registry + " sent a Bearer challenge without a realm; it cannot be authenticated against", 401, ""));
        Optional<String> service = challenge.param("service");
        HttpUriRequestBase message;
        boolean refresh = creds.isPresent() && creds.get().kind() == Credentials.Kind.IDENTITY_TOKEN;
        if (refresh) {
            // Docker's OAuth2 flow for identity tokens (ACR, Docker Hub access tokens from `docker login`).
            StringBuilder form = new StringBuilder("grant_type=refresh_token&client_id=imagegate&refresh_token=")
                    .append(encode(creds.get().secret()));
            service.ifPresent(s -> form.append("&service=").append(encode(s)));
            if (!scopes.values().isEmpty()) {
                form.append("&scope=").append(encode(String.join(" ", scopes.sorted())));
            }
            message = new HttpUriRequestBase("POST", URI.create(realm));
            message.setEntity(new StringEntity(form.toString(), ContentType.APPLICATION_FORM_URLENCODED));
        } else {
            StringBuilder query = new StringBuilder();
            service.ifPresent(s -> query.append("service=").append(encode(s)));
            for (String scope : scopes.sorted()) {
                query.append(query.isEmpty() ? "" : "&").append("scope=").append(encode(scope));
            }
            message = new HttpUriRequestBase("GET", URI.create(realm + (realm.contains("?") ? "&" : "?") + query));
            creds.filter(c -> c.kind() == Credentials.Kind.BASIC).ifPresent(c -> message.setHeader("Authorization", basic(c)));
        }
        URI tokenUri = uriOf(message, realm);
        int attempt = 0;
        while (true) {
            requests.incrementAndGet();
            try (ClassicHttpResponse raw = http.executeOpen(null, message, null)) {
                int status = raw.getCode();
                byte[] body = raw.getEntity() == null ? new byte[0] : raw.getEntity().getContent().readNBytes(1 << 20);
                if ((status == 429 || status >= 500) && attempt < options.maxRetries()) {
                    attempt++;
                    Header retryAfter = raw.getFirstHeader("Retry-After");
                    sleep(Backoff.parseRetryAfter(retryAfter == null ? null : retryAfter.getValue()).orElseGet(() -> backoff.delay(1)));
                    continue;
                }
                if (status == 401 || status == 403) {
                    throw new RegistryException("the token server of " + registry + " (" + tokenUri.getHost()
                            + ") refused " + (creds.isPresent() ? "the credentials for user \"" + creds.get().username() + "\"" : "anonymous access")
                            + " (HTTP " + status + "); check the credentials for " + registry, status, "UNAUTHORIZED");
                }
                if (status != 200) {
                    throw new RegistryException("the token server of " + registry + " answered HTTP " + status
                            + errorSummary(body), status, "");
                }
                JsonNode json = JSON.readTree(body);
                String value = json.path("token").asText("");
                if (value.isEmpty()) {
                    value = json.path("access_token").asText("");
                }
                if (value.isEmpty()) {
                    throw new RegistryException("the token server of " + registry + " answered without a token", status, "");
                }
                long expiresIn = json.path("expires_in").asLong(60);
                // The spec's minimum lifetime is 60 seconds; a smaller or absent value means 60.
                Instant expires = Instant.now().plusSeconds(Math.max(60, expiresIn));
                return new TokenCache.Token(value, scopes, expires);
            } catch (IOException e) {
                if (attempt < options.maxRetries()) {
                    attempt++;
                    sleep(backoff.delay(attempt));
                    continue;
                }
                throw new RegistryException("cannot reach the token server of " + registry + " at " + tokenUri.getHost()
                        + ": " + describe(e), e);
            }
        }
    }

    private static URI uriOf(HttpUriRequestBase message, String realm) {
        try {
            return message.getUri();
        } catch (Exception e) {
            return URI.create(realm);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A short summary of a distribution error document, for messages: {@code : DENIED: requested access ...}. */
    static String errorSummary(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        try {
            JsonNode json = JSON.readTree(body);
            List<String> parts = new ArrayList<>();
            for (JsonNode error : json.path("errors")) {
                String code = error.path("code").asText("");
                String message = error.path("message").asText("");
                parts.add((code + (message.isEmpty() ? "" : ": " + message)).strip());
            }
            if (!parts.isEmpty()) {
                return " (" + String.join("; ", parts) + ")";
            }
            String detail = json.path("details").asText(json.path("error").asText(""));
            return detail.isEmpty() ? "" : " (" + detail + ")";
        } catch (IOException notJson) {
            String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "" : " (" + text.replaceAll("\\s+", " ") + ")";
        }
    }

    /** The distribution error code of an error document, or empty. */
    static String errorCode(byte[] body) {
        try {
            JsonNode first = JSON.readTree(body).path("errors").path(0);
            return first.path("code").asText("").toUpperCase(Locale.ROOT);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
        try {
            http.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }
}
