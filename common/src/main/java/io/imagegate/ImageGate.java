package io.imagegate;

import io.imagegate.registry.CredentialProvider;
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
}
