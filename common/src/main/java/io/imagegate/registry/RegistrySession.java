package io.imagegate.registry;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.io.CloseMode;

/**
 * What the clients of one API instance share, so a long-lived JVM (a Maven reactor, a Jenkins
 * controller) calling the API again and again does not start from nothing each time
 * (go-containerregistry's reusable pullers and pushers keep pings and tokens the same way):
 *
 * <ul>
 *   <li>the {@code /v2/} pings' answers — each registry's API base and auth challenge — for a few
 *       minutes. Only answered pings are kept, and a challenge that changes is learnt again from
 *       the 401 that carries it, so a stale entry costs one request, never a wrong answer;
 *   <li>the pooled HTTP connections, for one client at a time: a client made while another holds
 *       them gets connections of its own, as every client did before (parallel work keeps its own
 *       pools and their bounds). They are closed once no client has used them for {@link
 *       #IDLE_CLOSE}, so a session nobody closes holds no socket or thread for long.
 * </ul>
 *
 * Clients share a session only with the same {@link TransportOptions} instance (whether a registry
 * may be reached over plain HTTP decides its base; CA files and proxies decide its connections); a
 * client with other options gets connections of its own.
 */
public final class RegistrySession {
    static final Duration TIME_TO_LIVE = Duration.ofMinutes(5);
    static final Duration IDLE_CLOSE = Duration.ofSeconds(30);

    /** One daemon thread per JVM closes idle sessions' connections (not one per session). */
    private static final class Closer {
        static final ScheduledExecutorService EXECUTOR =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "imagegate-idle-connections");
                            t.setDaemon(true);
                            return t;
                        });
    }

    private record Entry(Endpoints.Endpoint endpoint, long expiresAtNanos) {}

    /** The HTTP client a transport uses, and how it lets go of it. */
    interface Lease extends AutoCloseable {
        CloseableHttpClient client();

        @Override
        void close();
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;
    private final Duration idleClose;
    private TransportOptions httpOptions;
    private CloseableHttpClient http;
    private int users;
    private ScheduledFuture<?> closing;

    public RegistrySession() {
        this(System::nanoTime, IDLE_CLOSE);
    }

    RegistrySession(LongSupplier nanoTime, Duration idleClose) {
        this.nanoTime = nanoTime;
        this.idleClose = idleClose;
    }

    /** A session of one client: its connections close with it. */
    static RegistrySession forOneClient() {
        return new RegistrySession(System::nanoTime, Duration.ZERO);
    }

    Optional<Endpoints.Endpoint> get(String registry) {
        Entry entry = entries.get(registry);
        if (entry == null) {
            return Optional.empty();
        }
        if (nanoTime.getAsLong() - entry.expiresAtNanos() >= 0) {
            entries.remove(registry, entry);
            return Optional.empty();
        }
        return Optional.of(entry.endpoint());
    }

    void put(Endpoints.Endpoint endpoint) {
        entries.put(
                endpoint.registry(),
                new Entry(endpoint, nanoTime.getAsLong() + TIME_TO_LIVE.toNanos()));
    }

    /**
     * The session's pooled client when these are its options (the first client's) and no other
     * client holds it, else a client of the caller's own, closed with it.
     */
    synchronized Lease lease(TransportOptions options) {
        if (httpOptions == null) {
            httpOptions = options;
        }
        if (options != httpOptions || users > 0) {
            CloseableHttpClient own = HttpClientFactory.create(options);
            return new Lease() {
                public CloseableHttpClient client() {
                    return own;
                }

                public void close() {
                    closeQuietly(own);
                }
            };
        }
        if (closing != null) {
            closing.cancel(false);
            closing = null;
        }
        if (http == null) {
            http = HttpClientFactory.create(options);
        }
        CloseableHttpClient shared = http;
        users++;
        return new Lease() {
            private boolean closed;

            public CloseableHttpClient client() {
                return shared;
            }

            public void close() {
                synchronized (RegistrySession.this) {
                    if (!closed) {
                        closed = true;
                        release(shared);
                    }
                }
            }
        };
    }

    private void release(CloseableHttpClient shared) {
        users--;
        if (users == 0 && http == shared) {
            if (idleClose.isZero()) {
                http = null;
                closeQuietly(shared);
            } else {
                closing =
                        Closer.EXECUTOR.schedule(
                                () -> closeIfIdle(shared),
                                idleClose.toMillis(),
                                TimeUnit.MILLISECONDS);
            }
        }
    }

    private void closeIfIdle(CloseableHttpClient shared) {
        synchronized (this) {
            if (users > 0 || http != shared) {
                return;
            }
            http = null;
            closing = null;
        }
        closeQuietly(shared);
    }

    /** Another transport's client, used and left open (a scope's: its parent closes it). */
    static Lease borrowed(CloseableHttpClient client) {
        return new Lease() {
            public CloseableHttpClient client() {
                return client;
            }

            public void close() {
                // the parent's to close
            }
        };
    }

    /** Whether the session holds open connections (a client, in use or idle): for tests. */
    synchronized boolean holdsConnections() {
        return http != null;
    }

    private static void closeQuietly(CloseableHttpClient client) {
        client.close(CloseMode.GRACEFUL);
    }
}
