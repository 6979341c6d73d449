package io.imagegate.scan;

import io.imagegate.reference.ImageReference;
import io.imagegate.registry.CredentialProvider;
import io.imagegate.registry.Credentials;
import io.imagegate.registry.RegistryClient;

import java.util.Optional;

/**
 * What Trivy is given to pull an image: for a registry with a token service, a pull token imagegate obtained itself
 * — short-lived, scoped to that one repository, and it spares Trivy the token exchange (Trivy 0.74 refuses token
 * realms on private addresses, as in-house registries often have) — otherwise the credentials of the chain.
 */
public final class ScanCredentials {
    private ScanCredentials() {
    }

    public static CredentialProvider forImage(RegistryClient client, CredentialProvider chain, ImageReference image) {
        Optional<String> token = client.pullToken(image);
        Optional<Credentials> scoped = token.map(Credentials::registryToken);
        return registry -> registry.equals(image.registry()) && scoped.isPresent() ? scoped : chain.credentialsFor(registry);
    }
}
