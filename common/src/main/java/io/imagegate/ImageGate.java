package io.imagegate;

import io.imagegate.copy.ImageImporter;
import io.imagegate.copy.ImportListener;
import io.imagegate.copy.ImportRequest;
import io.imagegate.copy.ImportResult;
import io.imagegate.registry.CredentialProvider;
import io.imagegate.registry.RegistryClient;
import io.imagegate.registry.TransportOptions;

/**
 * The facade the three front ends (CLI, Maven plugin, Jenkins steps) call. Each front end maps its own inputs
 * onto these methods and the results onto its own conventions; none holds logic of its own.
 */
public final class ImageGate {
    private final TransportOptions transport;
    private final CredentialProvider credentials;

    public ImageGate(TransportOptions transport, CredentialProvider credentials) {
        this.transport = transport;
        this.credentials = credentials;
    }

    public TransportOptions transport() {
        return transport;
    }

    public CredentialProvider credentials() {
        return credentials;
    }

    /** Imports an image into the target registry; see {@link ImageImporter}. */
    public ImportResult importImage(ImportRequest request, ImportListener listener) {
        try (RegistryClient client = new RegistryClient(transport, credentials, listener)) {
            return new ImageImporter(client, listener).importImage(request);
        }
    }
}
