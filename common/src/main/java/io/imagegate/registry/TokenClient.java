package io.imagegate.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.Json;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.Field;
import io.imagegate.message.Message;
import io.imagegate.registry.auth.Credentials;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;

/**
 * Bearer tokens from a registry's token server (the distribution token flow, and Docker's OAuth2
 * refresh-token flow for identity tokens), cached per registry and scope set. The realm must be
 * HTTPS unless its host may use plain HTTP; the server's answer is never quoted (it may be the
 * token itself).
 */
final class TokenClient {
    /** Token answers are small; a JWT of a few KB is large already. */
    private static final int MAX_ANSWER = 1024 * 1024;

    private final Exchanger exchanger;
    private final TokenCache cache;
    private final Map<String, Object> locks;

    TokenClient(Exchanger exchanger) {
        this(exchanger, new TokenCache(), new ConcurrentHashMap<>());
    }

    private TokenClient(Exchanger exchanger, TokenCache cache, Map<String, Object> locks) {
        this.exchanger = exchanger;
        this.cache = cache;
        this.locks = locks;
    }

    /** A token client sending through {@code other} exchanger, sharing this one's tokens. */
    TokenClient through(Exchanger other) {
        return new TokenClient(other, cache, locks);
    }

    String token(
            String registry, AuthChallenge challenge, Scopes scopes, Optional<Credentials> creds) {
        Optional<TokenCache.Token> cached = cache.find(registry, scopes);
        if (cached.isPresent()) {
            return cached.get().value();
        }
        synchronized (locks.computeIfAbsent(registry + " " + scopes.sorted(), k -> new Object())) {
            cached = cache.find(registry, scopes);
            if (cached.isPresent()) {
                return cached.get().value();
            }
            TokenCache.Token token = fetch(registry, challenge, scopes, creds);
            cache.put(registry, token);
            return token.value();
        }
    }

    /**
     * An anonymous token for {@code scopes}, neither cached nor reused: for the one probe that
     * tells whether a registry refusing credentials would allow anonymous pulls. Empty when the
     * token server refuses it or fails.
     */
    Optional<String> anonymousProbe(String registry, AuthChallenge challenge, Scopes scopes) {
        try {
            return Optional.of(fetch(registry, challenge, scopes, Optional.empty()).value());
        } catch (RegistryException e) {
            if (e.kind() == ErrorKind.INTERRUPTED) {
                throw e;
            }
            return Optional.empty();
        }
    }

    void invalidate(String registry, Scopes scopes) {
        cache.invalidate(registry, scopes);
    }

    private TokenCache.Token fetch(
            String registry, AuthChallenge challenge, Scopes scopes, Optional<Credentials> creds) {
        URI realm = realm(registry, challenge);
        Optional<String> service = challenge.param("service");
        boolean refresh =
                creds.isPresent() && creds.get().kind() == Credentials.Kind.IDENTITY_TOKEN;
        String realmText = realm.toString();
        java.util.function.Supplier<HttpUriRequestBase> build;
        if (refresh) {
            // Docker's OAuth2 flow for identity tokens (ACR, Docker Hub access tokens from `docker
            // login`).
            StringBuilder form =
                    new StringBuilder("grant_type=refresh_token&client_id=imagegate&refresh_token=")
                            .append(encode(creds.get().secret()));
            service.ifPresent(s -> form.append("&service=").append(encode(s)));
            if (!scopes.values().isEmpty()) {
                form.append("&scope=").append(encode(String.join(" ", scopes.sorted())));
            }
            String body = form.toString();
            build =
                    () -> {
                        HttpUriRequestBase post = new HttpUriRequestBase("POST", realm);
                        post.setEntity(
                                new StringEntity(body, ContentType.APPLICATION_FORM_URLENCODED));
                        return post;
                    };
        } else {
            StringBuilder query = new StringBuilder();
            service.ifPresent(s -> query.append("service=").append(encode(s)));
            for (String scope : scopes.sorted()) {
                query.append(query.isEmpty() ? "" : "&").append("scope=").append(encode(scope));
            }
            URI uri = URI.create(realmText + (realmText.contains("?") ? "&" : "?") + query);
            Optional<String> basic =
                    creds.filter(c -> c.kind() == Credentials.Kind.BASIC)
                            .map(RegistryTransport::basic);
            build =
                    () -> {
                        HttpUriRequestBase get = new HttpUriRequestBase("GET", uri);
                        basic.ifPresent(value -> get.setHeader("Authorization", value));
                        return get;
                    };
        }
        String user = creds.map(Credentials::username).filter(u -> !u.isEmpty()).orElse(null);
        try (Response r =
                exchanger.exchange(
                        registry,
                        "a token from " + realm.getHost(),
                        build,
                        ExchangeKind.SMALL,
                        true)) {
            int status = r.status();
            if (status == 401 || status == 403) {
                throw new RegistryException(
                        ErrorKind.AUTHENTICATION,
                        creds.isPresent()
                                ? Message.of(
                                        "registry.token-refused",
                                        "the token server of {0} ({1}) refused the credentials{2}{5} (HTTP {3});"
                                                + " check the credentials for {0} ({4})",
                                        registry,
                                        realm.getHost(),
                                        user == null ? "" : " for user \"" + user + "\"",
                                        status,
                                        Field.REGISTRY_CREDENTIALS,
                                        creds.get().source().isEmpty()
                                                ? ""
                                                : " from " + creds.get().source())
                                : Message.of(
                                        "registry.token-anonymous-refused",
                                        "the token server of {0} ({1}) refused anonymous access (HTTP"
                                                + " {2}); give credentials for {0} ({3})",
                                        registry,
                                        realm.getHost(),
                                        status,
                                        Field.REGISTRY_CREDENTIALS),
                        status,
                        "UNAUTHORIZED");
            }
            byte[] body;
            try {
                body = r.bodyBytes(MAX_ANSWER);
            } catch (IOException e) {
                if (r.cutOff().isPresent()) {
                    throw exchanger.cutOffError(registry, "a token request", r.cutOff().get(), e);
                }
                throw RegistryException.unreachable(
                        ErrorKind.TRANSIENT,
                        Message.of(
                                "registry.token-read",
                                "reading the answer of the token server of {0} failed: {1}",
                                registry,
                                IoErrors.describe(e)),
                        e);
            }
            if (status != 200) {
                throw new RegistryException(
                        RegistryException.kindOf(status, ""),
                        Message.of(
                                "registry.token-error",
                                "the token server of {0} answered HTTP {1}{2}",
                                registry,
                                status,
                                RegistryErrors.summary(body)),
                        status,
                        "");
            }
            JsonNode json;
            try {
                json = Json.MAPPER.readTree(body);
            } catch (IOException notJson) {
                json = null;
            }
            String value = json == null ? "" : json.path("token").asText("");
            if (value.isEmpty() && json != null) {
                value = json.path("access_token").asText("");
            }
            if (value.isEmpty()) {
                throw new RegistryException(
                        ErrorKind.INTEGRITY,
                        Message.of(
                                "registry.token-missing",
                                "the token server of {0} answered without a token document; its answer is not shown, as it may hold a"
                                        + " secret",
                                registry),
                        status,
                        "");
            }
            long expiresIn =
                    json.path("expires_in").canConvertToLong()
                            ? json.path("expires_in").asLong(60)
                            : 60;
            // The spec's minimum lifetime is 60 seconds; a smaller or absent value means 60. A year
            // at most.
            Instant expires =
                    Instant.now().plusSeconds(Math.min(365L * 86_400, Math.max(60, expiresIn)));
            return new TokenCache.Token(value, scopes, expires);
        }
    }

    /**
     * The challenge's realm, checked: an absolute http(s) URL, plain HTTP only where the realm's
     * host may use it.
     */
    private URI realm(String registry, AuthChallenge challenge) {
        String text =
                challenge
                        .param("realm")
                        .orElseThrow(
                                () ->
                                        new RegistryException(
                                                ErrorKind.CONFIGURATION,
                                                Message.of(
                                                        "registry.realm-missing",
                                                        "{0} sent a Bearer challenge without a realm; it cannot be authenticated against",
                                                        registry),
                                                401,
                                                ""));
        URI realm;
        try {
            realm = new URI(text);
        } catch (java.net.URISyntaxException e) {
            throw new RegistryException(
                    ErrorKind.INTEGRITY,
                    Message.of(
                            "registry.realm-invalid",
                            "{0} named a token realm that is not a valid URL",
                            registry),
                    401,
                    "");
        }
        String scheme = realm.getScheme() == null ? "" : realm.getScheme().toLowerCase(Locale.ROOT);
        if (realm.getRawAuthority() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new RegistryException(
                    ErrorKind.INTEGRITY,
                    Message.of(
                            "registry.realm-scheme",
                            "{0} named a token realm that is not an http(s) URL",
                            registry),
                    401,
                    "");
        }
        if (scheme.equals("http")
                && !exchanger.options().allowsPlainHttp(realm.getRawAuthority())) {
            throw new RegistryException(
                    ErrorKind.INTEGRITY,
                    Message.of(
                            "registry.realm-plain-http",
                            "{0} named a token realm over plain HTTP ({1}); credentials are not sent in clear text. If that host is"
                                    + " meant to be reached without TLS, name it as an insecure registry ({2})",
                            registry,
                            realm.getRawAuthority(),
                            Field.INSECURE_REGISTRY),
                    401,
                    "");
        }
        return realm;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
