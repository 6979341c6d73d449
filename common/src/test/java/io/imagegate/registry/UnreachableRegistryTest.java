package io.imagegate.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.auth.CredentialProvider;
import io.imagegate.testing.HostileServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A registry nobody listens for fails at once (retrying a refused connection only makes a build
 * wait); answers that may well change (503, a connection reset mid-answer) keep their retries.
 */
class UnreachableRegistryTest {
    /** The retries the listener was told of. */
    private static final class Retries implements TransportListener {
        final List<String> reasons = new CopyOnWriteArrayList<>();
        final List<Duration> delays = new CopyOnWriteArrayList<>();

        @Override
        public void retrying(
                String host,
                String method,
                String path,
                String reason,
                Duration delay,
                int attempt) {
            reasons.add(reason);
            delays.add(delay);
        }
    }

    private static RegistryClient client(Retries retries) {
        return new RegistryClient(
                TransportOptions.defaults().withMaxRetries(4),
                CredentialProvider.anonymous(),
                retries);
    }

    /** A loopback port that nothing listens on (bound, then freed). */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aRefusedConnectionFailsAtOnceWithoutRetries() throws IOException {
        Retries retries = new Retries();
        String registry = "127.0.0.1:" + closedPort();
        try (RegistryClient client = client(retries)) {
            assertThatThrownBy(
                            () ->
                                    client.pull(ImageReference.parse(registry + "/x/y:1"))
                                            .headManifest("1"))
                    .isInstanceOfSatisfying(
                            ImageGateException.class,
                            e -> {
                                assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
                                assertThat(e.getMessage())
                                        .contains("cannot reach " + registry)
                                        .contains("connection refused")
                                        .doesNotContain("attempts");
                            });
            assertThat(retries.reasons).isEmpty();
            // one attempt per scheme a loopback registry is asked over (HTTP, then HTTPS)
            assertThat(client.requestCount()).isEqualTo(2);
        }
    }

    @Test
    void aServiceUnavailableAnswerIsStillRetried() {
        AtomicInteger pings = new AtomicInteger();
        Retries retries = new Retries();
        try (HostileServer server =
                        new HostileServer(
                                (r, out) -> {
                                    if (r.path().equals("/v2/") && pings.getAndIncrement() < 2) {
                                        out.respond(503, Map.of(), "");
                                        return;
                                    }
                                    if (r.path().equals("/v2/")) {
                                        out.respond(200, Map.of(), "{}");
                                        return;
                                    }
                                    out.respond(404, Map.of(), "");
                                });
                RegistryClient client = client(retries)) {
            assertThat(
                            client.pull(ImageReference.parse(server.hostPort() + "/x/y:1"))
                                    .findManifest("1"))
                    .isEmpty();
            assertThat(retries.reasons).containsExactly("HTTP 503", "HTTP 503");
        }
    }

    @Test
    void aConnectionDroppedBeforeTheAnswerIsStillRetried() {
        AtomicInteger pings = new AtomicInteger();
        Retries retries = new Retries();
        try (HostileServer server =
                        new HostileServer(
                                (r, out) -> {
                                    if (r.path().equals("/v2/") && pings.getAndIncrement() < 1) {
                                        // the connection goes without an answer
                                        throw new IOException("dropped");
                                    }
                                    if (r.path().equals("/v2/")) {
                                        out.respond(200, Map.of(), "{}");
                                        return;
                                    }
                                    out.respond(404, Map.of(), "");
                                });
                RegistryClient client = client(retries)) {
            assertThat(
                            client.pull(ImageReference.parse(server.hostPort() + "/x/y:1"))
                                    .findManifest("1"))
                    .isEmpty();
            assertThat(retries.reasons).hasSize(1);
        }
    }

    @Test
    void aPooledConnectionTheServerClosedIsReplacedAtOnce() {
        Retries retries = new Retries();
        // Keep-alive promised, then the connection closed: what a registry that restarted, or
        // closes idle connections early, leaves in the client's pool.
        try (HostileServer server =
                        new HostileServer(
                                (r, out) ->
                                        out.write(
                                                r.path().equals("/v2/")
                                                        ? "HTTP/1.1 200 X\r\nContent-Length: 2\r\n\r\n{}"
                                                        : "HTTP/1.1 404 X\r\nContent-Length: 0\r\n\r\n"));
                RegistryClient client = client(retries)) {
            RemoteRepository repository =
                    client.pull(ImageReference.parse(server.hostPort() + "/x/y:1"));
            assertThat(repository.findManifest("1")).isEmpty();
            assertThat(repository.findManifest("2")).isEmpty();
            // each request after the first met a closed connection, and went again at once on a
            // new one, not after a backoff
            assertThat(retries.delays).hasSize(2).allMatch(Duration::isZero);
        }
    }
}
