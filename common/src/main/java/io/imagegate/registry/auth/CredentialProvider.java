package io.imagegate.registry.auth;

import java.util.Optional;

/**
 * Finds the credentials for a registry, by the registry as named in references ({@code docker.io},
 * {@code host:port}).
 */
@FunctionalInterface
public interface CredentialProvider {
    Optional<Credentials> credentialsFor(String registry);

    static CredentialProvider anonymous() {
        return registry -> Optional.empty();
    }

    /** Tries this provider first, then {@code other}. */
    default CredentialProvider orElse(CredentialProvider other) {
        return registry -> {
            Optional<Credentials> found = credentialsFor(registry);
            return found.isPresent() ? found : other.credentialsFor(registry);
        };
    }
}
