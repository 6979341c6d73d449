package io.imagegate.registry;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.Field;
import io.imagegate.message.Message;
import io.imagegate.reference.ImageReference;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;

/**
 * Where each registry's API lives and how it wants to be authenticated, from one {@code /v2/} ping
 * per registry (retried and bounded like every other exchange), kept in the {@link RegistrySession}
 * the clients of one API instance share.
 */
final class Endpoints {
    /** A registry's API base and its auth challenge. */
    record Endpoint(String registry, URI base, Optional<AuthChallenge> challenge) {
        Endpoint withChallenge(AuthChallenge newChallenge) {
            return new Endpoint(registry, base, Optional.of(newChallenge));
        }
    }

    private final Exchanger exchanger;
    private final RegistrySession known;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    Endpoints(Exchanger exchanger, RegistrySession known) {
        this.exchanger = exchanger;
        this.known = known;
    }

    Endpoint get(String registry) {
        Optional<Endpoint> endpoint = known.get(registry);
        if (endpoint.isPresent()) {
            return endpoint.get();
        }
        synchronized (locks.computeIfAbsent(registry, k -> new Object())) {
            endpoint = known.get(registry);
            if (endpoint.isPresent()) {
                return endpoint.get();
            }
            Endpoint pinged = ping(registry);
            known.put(pinged);
            return pinged;
        }
    }

    /** A registry changed its challenge (a 401 with a new one): later requests use it. */
    void update(Endpoint endpoint) {
        known.put(endpoint);
    }

    private Endpoint ping(String registry) {
        String apiHost =
                registry.equals(ImageReference.DOCKER_HUB)
                        ? ImageReference.DOCKER_HUB_API
                        : registry;
        // Where plain HTTP is allowed, ask over HTTP first: a TLS server answers that with 400 at
        // once, while a
        // plain server may never answer a TLS ClientHello and leave the handshake hanging until its
        // timeout.
        List<String> schemes =
                exchanger.options().allowsPlainHttp(registry)
                        ? List.of("http", "https")
                        : List.of("https");
        RegistryException last = null;
        for (String scheme : schemes) {
            URI base = URI.create(scheme + "://" + apiHost + "/");
            try {
                return pingOnce(registry, base);
            } catch (RegistryException e) {
                last = e;
                boolean tlsServer = scheme.equals("http") && e.status() == 400;
                // A server that accepted plain HTTP and then held the answer is a plain server that
                // stalls: asking it
                // for TLS as well would only double the wait.
                boolean heldUp = e.getCause() instanceof Exchanger.CutOff;
                if ((e.status() != 0 && !tlsServer)
                        || heldUp
                        || e.kind() == io.imagegate.message.ErrorKind.INTEGRITY) {
                    throw e;
                }
            }
        }
        if (last != null && last.getCause() instanceof SSLException tls) {
            throw RegistryException.unreachable(
                    ErrorKind.CONFIGURATION,
                    Message.of(
                            "registry.tls",
                            "cannot reach {0} over HTTPS: {1}; if it uses a private CA, give its certificate as the CA file ({2}); if it only"
                                    + " speaks plain HTTP, name it as an insecure registry ({3})",
                            registry,
                            IoErrors.describe(tls),
                            Field.CA_FILE,
                            Field.INSECURE_REGISTRY),
                    tls);
        }
        throw last;
    }

    private Endpoint pingOnce(String registry, URI base) {
        URI uri = base.resolve("/v2/");
        try (Response r =
                exchanger.exchange(
                        registry,
                        "GET /v2/",
                        () -> new HttpUriRequestBase("GET", uri),
                        ExchangeKind.SMALL,
                        true)) {
            int status = r.status();
            if (status == 200) {
                return new Endpoint(registry, base, Optional.empty());
            }
            if (status == 401) {
                Optional<String> header = r.header("WWW-Authenticate");
                List<AuthChallenge> challenges = AuthChallenge.parse(header.orElse(null));
                Optional<AuthChallenge> chosen =
                        challenges.stream()
                                .filter(AuthChallenge::isBearer)
                                .findFirst()
                                .or(
                                        () ->
                                                challenges.stream()
                                                        .filter(AuthChallenge::isBasic)
                                                        .findFirst());
                if (chosen.isEmpty()) {
                    throw new RegistryException(
                            ErrorKind.CONFIGURATION,
                            Message.of(
                                    "registry.auth-scheme",
                                    "{0} asks for authentication with a scheme imagegate does not speak ({1})",
                                    registry,
                                    header.map(
                                                    h ->
                                                            h.length() > 100
                                                                    ? h.substring(0, 100) + "…"
                                                                    : h)
                                            .orElse("no WWW-Authenticate header")),
                            401,
                            "");
                }
                return new Endpoint(registry, base, chosen);
            }
            if (status == 407) {
                throw new RegistryException(
                        ErrorKind.AUTHENTICATION,
                        Message.of(
                                "registry.proxy-denied",
                                "GET {0} failed: HTTP 407; the"
                                        + " proxy between imagegate and {1} refused the request: check the proxy's user name and password",
                                uri,
                                registry),
                        status,
                        "");
            }
            throw new RegistryException(
                    status == 429 || status >= 500 ? ErrorKind.TRANSIENT : ErrorKind.CONFIGURATION,
                    Message.of(
                            "registry.not-a-registry",
                            "{0} is not an OCI registry or is unavailable: GET {1} answered HTTP {2}",
                            registry,
                            uri,
                            status),
                    status,
                    "");
        }
    }
}
