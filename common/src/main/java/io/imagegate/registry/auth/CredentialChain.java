package io.imagegate.registry.auth;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The one credential chain every operation uses: credentials given for a registry (by the front
 * end: a Maven server, a Jenkins credential, variables named on the command line), matched by
 * {@code host:port} and then by host; then the fallback (Docker's config with its credential
 * helpers); then anonymous. Given credentials are resolved on first use, so a variable that is not
 * set fails only the operation that needs it.
 */
public final class CredentialChain implements CredentialProvider {
    private final Map<String, Supplier<Credentials>> given;
    private final CredentialProvider fallback;
    private final Map<String, Credentials> resolved = new ConcurrentHashMap<>();

    public CredentialChain(Map<String, Supplier<Credentials>> given, CredentialProvider fallback) {
        Map<String, Supplier<Credentials>> copy = new LinkedHashMap<>();
        given.forEach((k, v) -> copy.put(k.toLowerCase(Locale.ROOT), v));
        this.given = Map.copyOf(copy);
        this.fallback = fallback;
    }

    @Override
    public Optional<Credentials> credentialsFor(String registry) {
        String lower = registry.toLowerCase(Locale.ROOT);
        String key =
                given.containsKey(lower)
                        ? lower
                        : given.containsKey(io.imagegate.reference.ImageReference.hostOf(lower))
                                ? io.imagegate.reference.ImageReference.hostOf(lower)
                                : null;
        if (key != null) {
            return Optional.of(resolved.computeIfAbsent(key, k -> given.get(k).get()));
        }
        return fallback.credentialsFor(registry);
    }
}
