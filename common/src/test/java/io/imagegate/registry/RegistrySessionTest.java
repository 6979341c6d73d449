package io.imagegate.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.oci.Platform;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.auth.CredentialProvider;
import io.imagegate.registry.auth.Credentials;
import io.imagegate.registry.auth.EnvironmentCredentials;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.RegistryRequest;
import io.imagegate.testing.TestImages;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Clients of one API instance ping a registry once between them, for a while (a token registry
 * still authenticates), and reuse idle connections one client at a time.
 */
@NeedsComponents
class RegistrySessionTest {
    @RegisterExtension static final RegistryExtension token = RegistryExtension.tokenAuth();

    static TestImages.Image image;

    @BeforeAll
    static void push() {
        image = TestImages.randomImage(71, Platform.parse("linux/amd64"), 2_000, true);
        new ImagePusher(token).push("team/app", "1", image);
    }

    private static long pings(List<RegistryRequest> requests) {
        return requests.stream().filter(r -> r.path().equals("/v2/")).count();
    }

    private static final TransportOptions OPTIONS = TransportOptions.defaults();

    private static RegistryClient client(RegistrySession session) {
        CredentialProvider alice =
                EnvironmentCredentials.forRegistry(
                        token.hostPort(),
                        Credentials.basic(
                                RegistryExtension.PUSH_USER, RegistryExtension.PUSH_PASSWORD));
        return new RegistryClient(OPTIONS, alice, TransportListener.NONE, session);
    }

    private static void read(RegistryClient client) {
        assertThat(
                        client.pull(ImageReference.parse(token.hostPort() + "/team/app:1"))
                                .findManifest("1"))
                .hasValueSatisfying(m -> assertThat(m.digest()).isEqualTo(image.digest()));
    }

    private static void readManifest(RegistrySession session) {
        try (RegistryClient client = client(session)) {
            read(client);
        }
    }

    @Test
    void clientsSharingACachePingOnceAndStillAuthenticate() {
        RegistrySession shared = new RegistrySession();
        token.clearRequests();
        readManifest(shared);
        assertThat(pings(token.awaitRequests())).isEqualTo(1);

        token.clearRequests();
        readManifest(shared);
        List<RegistryRequest> second = token.awaitRequests();
        assertThat(pings(second)).isZero();
        // the cached challenge got a token at once: the manifest answered 200, with no 401 round
        // first
        assertThat(second).extracting(RegistryRequest::status).containsOnly(200);

        token.clearRequests();
        readManifest(new RegistrySession());
        assertThat(pings(token.awaitRequests())).isEqualTo(1);
    }

    @Test
    void connectionsOutliveAClientUntilIdleAndAreNeverSharedByTwoAtOnce()
            throws InterruptedException {
        RegistrySession session =
                new RegistrySession(System::nanoTime, java.time.Duration.ofMillis(300));
        assertThat(session.holdsConnections()).isFalse();
        try (RegistryClient first = client(session)) {
            read(first);
            // a second client while the first holds the pool: connections of its own, closed with
            // it
            try (RegistryClient second = client(session)) {
                read(second);
            }
            assertThat(session.holdsConnections()).isTrue();
            read(first); // the first's pool is still open
        }
        assertThat(session.holdsConnections()).isTrue(); // idle, kept for the next client
        readManifest(session);
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (session.holdsConnections() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(session.holdsConnections()).isFalse(); // closed once idle
        readManifest(session); // and opened again when needed
    }

    @Test
    void aClientOfItsOwnClosesItsConnectionsWithIt() {
        RegistrySession own = RegistrySession.forOneClient();
        readManifest(own);
        assertThat(own.holdsConnections()).isFalse();
    }

    @Test
    void anEntryExpires() {
        AtomicLong now = new AtomicLong();
        RegistrySession cache = new RegistrySession(now::get, RegistrySession.IDLE_CLOSE);
        Endpoints.Endpoint endpoint =
                new Endpoints.Endpoint(
                        "r.example", URI.create("https://r.example/"), Optional.empty());
        cache.put(endpoint);
        now.addAndGet(RegistrySession.TIME_TO_LIVE.toNanos() - 1);
        assertThat(cache.get("r.example")).contains(endpoint);
        assertThat(cache.get("other.example")).isEmpty();
        now.addAndGet(1);
        assertThat(cache.get("r.example")).isEmpty();
    }
}
