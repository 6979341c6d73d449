package io.imagegate.registry;

import io.imagegate.Json;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.auth.CredentialProvider;
import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Entry point to registries: one shared transport (connection pool, tokens, backoff) and handles on
 * repositories with the scopes their requests need.
 */
public final class RegistryClient implements Closeable {
    private static final AtomicBoolean PREPARED = new AtomicBoolean();

    private final RegistryTransport transport;

    /**
     * Starts, once per process and on daemon threads, the one-time work the first registry request
     * waits for: the HTTP client's and the JSON mapper's classes, and SHA-256 compiled to its CPU
     * intrinsic. A short-lived process (the CLI) calls this first thing, so the work overlaps with
     * parsing its command line; see docs/performance.md. Nothing depends on it having run.
     */
    public static void prepare() {
        if (PREPARED.compareAndSet(false, true)) {
            HashingInputStream.warmUp();
            Thread t =
                    new Thread(
                            () -> {
                                try {
                                    Json.MAPPER.readTree("{\"schemaVersion\":2,\"manifests\":[]}");
                                } catch (IOException impossible) {
                                    // a constant document
                                }
                                RegistryTransport.preload();
                            },
                            "imagegate-prepare");
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * Clients in use: a process stopped by a signal abandons their open upload sessions on its way
     * out.
     */
    private static final java.util.Set<RegistryClient> LIVE =
            java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static final AtomicBoolean HOOKED = new AtomicBoolean();

    public RegistryClient(
            TransportOptions options, CredentialProvider credentials, TransportListener listener) {
        this(options, credentials, listener, RegistrySession.forOneClient());
    }

    /**
     * A client that shares what pings learn, and idle connections, with the session's other clients
     * (see {@link RegistrySession}).
     */
    public RegistryClient(
            TransportOptions options,
            CredentialProvider credentials,
            TransportListener listener,
            RegistrySession session) {
        this(new RegistryTransport(options, credentials, listener, session));
    }

    private RegistryClient(RegistryTransport transport) {
        this.transport = transport;
        HashingInputStream.warmUp();
        LIVE.add(this);
        if (HOOKED.compareAndSet(false, true)) {
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(
                                    RegistryClient::abandonEverywhere,
                                    "imagegate-abandon-uploads"));
        }
    }

    /**
     * On the way out: every live client's open uploads abandoned at once, for three seconds at
     * most.
     */
    private static void abandonEverywhere() {
        if (LIVE.isEmpty()) {
            return;
        }
        // Transfers still running are cut first: a registry that gets the DELETE while the upload's
        // PUT still streams
        // can recreate the session's files when that PUT ends (distribution 2.8 does).
        LIVE.forEach(client -> client.transport.stop());
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            return;
        }
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        for (RegistryClient client : LIVE) {
            Thread t = new Thread(client.transport::abandonOpenUploads, "imagegate-abandon");
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(3).toNanos();
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** A repository to read from. */
    public RemoteRepository pull(ImageReference reference) {
        return new RemoteRepository(
                transport,
                reference.registry(),
                reference.repository(),
                Scopes.pull(reference.repository()));
    }

    /**
     * Every repository of a registry from its catalog ({@code /v2/_catalog}), bounded as tag
     * listings are; an error when the registry offers none.
     */
    public java.util.List<String> catalog(String registry, RemoteRepository.TagLimits limits) {
        return new RemoteRepository(
                        transport, registry, "", new Scopes(java.util.Set.of("registry:catalog:*")))
                .catalog(limits);
    }

    /** A repository to write to (push and pull). */
    public RemoteRepository push(ImageReference reference) {
        return new RemoteRepository(
                transport,
                reference.registry(),
                reference.repository(),
                Scopes.pushPull(reference.repository()));
    }

    /**
     * A repository to write to, whose token also allows pulling from {@code mountFrom} in the same
     * registry.
     */
    public RemoteRepository push(ImageReference reference, String mountFrom) {
        return new RemoteRepository(
                transport,
                reference.registry(),
                reference.repository(),
                Scopes.pushPull(reference.repository()).plus(Scopes.pull(mountFrom)));
    }

    /** Requests sent so far (every attempt, pings and token requests included). */
    public long requestCount() {
        return transport.requestCount();
    }

    public TransportOptions options() {
        return transport.options();
    }

    /** Cuts off every request under way (an import ran out of time, or was cancelled). */
    public void abortAll() {
        transport.abortAll();
    }

    /**
     * A client over this one's connections, endpoints and tokens whose requests are its own: {@link
     * #abortAll()} on it cuts off only them (an import that runs out of time leaves the imports
     * beside it alone), {@link #requestCount()} counts only them, and closing it abandons only its
     * own open uploads. Close it before this one.
     */
    public RegistryClient scope() {
        return new RegistryClient(transport.scope());
    }

    /**
     * Cuts off every request under way and every later one: for a client whose work is no longer
     * wanted.
     */
    public void cancel() {
        transport.cancel();
    }

    /**
     * Why a blob copy really failed when the upload broke because its download was cut off (a
     * source that stalls or drips): the download's own error, not the upload's.
     */
    public java.util.Optional<RegistryException> downloadFailure(
            RemoteRepository.BlobDownload download,
            RemoteRepository from,
            io.imagegate.oci.Descriptor blob) {
        return download.cutOff()
                .map(
                        reason ->
                                transport.cutOff(
                                        from.registry(),
                                        "GET blob "
                                                + blob.digest().shortForm()
                                                + " of "
                                                + from.registry()
                                                + "/"
                                                + from.repository(),
                                        reason,
                                        null));
    }

    @Override
    public void close() {
        if (transport.isStopping()) {
            // The process is being stopped: its hook abandons this client's uploads once the
            // transfers it cut have
            // settled (a DELETE sent sooner can see the cut PUT recreate the session's files).
            return;
        }
        // Live until its uploads are abandoned: a process stopped meanwhile waits for those DELETEs
        // in its hook.
        transport.abandonOpenUploads();
        LIVE.remove(this);
        transport.close();
    }
}
