package io.imagegate.registry;

import io.imagegate.reference.ImageReference;

import java.io.Closeable;

/**
 * Entry point to registries: one shared transport (connection pool, tokens, backoff) and handles on
 * repositories with the scopes their requests need.
 */
public final class RegistryClient implements Closeable {
    private final RegistryTransport transport;

    public RegistryClient(TransportOptions options, CredentialProvider credentials, TransportListener listener) {
        this.transport = new RegistryTransport(options, credentials, listener);
        HashingInputStream.warmUp();
    }

    /** A repository to read from. */
    public RemoteRepository pull(ImageReference reference) {
        return new RemoteRepository(transport, reference.registry(), reference.repository(),
                Scopes.pull(reference.repository()));
    }

    /** A repository to write to (push and pull). */
    public RemoteRepository push(ImageReference reference) {
        return new RemoteRepository(transport, reference.registry(), reference.repository(),
                Scopes.pushPull(reference.repository()));
    }

    /** A repository to write to, whose token also allows pulling from {@code mountFrom} in the same registry. */
    public RemoteRepository push(ImageReference reference, String mountFrom) {
        return new RemoteRepository(transport, reference.registry(), reference.repository(),
                Scopes.pushPull(reference.repository()).plus(Scopes.pull(mountFrom)));
    }

    /** Requests sent so far (every attempt, pings and token requests included). */
    public long requestCount() {
        return transport.requestCount();
    }

    public TransportOptions options() {
        return transport.options();
    }

    @Override
    public void close() {
        transport.close();
    }
}
