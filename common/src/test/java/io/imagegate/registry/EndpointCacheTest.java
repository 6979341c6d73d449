package io.imagegate.registry;

import io.imagegate.oci.Platform;
import io.imagegate.reference.ImageReference;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.RegistryRequest;
import io.imagegate.testing.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Clients of one API instance ping a registry once between them, for a while; a token registry still authenticates. */
class EndpointCacheTest {
    @RegisterExtension
    static final RegistryExtension token = RegistryExtension.tokenAuth();

    static TestImages.Image image;

    @BeforeAll
    static void push() {
        image = TestImages.randomImage(71, Platform.parse("linux/amd64"), 2_000, true);
        new ImagePusher(token).push("team/app", "1", image);
    }

    private static long pings(List<RegistryRequest> requests) {
        return requests.stream().filter(r -> r.path().equals("/v2/")).count();
    }

    private static void readManifest(EndpointCache cache) {
        CredentialProvider alice = EnvironmentCredentials.forRegistry(token.hostPort(),
                Credentials.basic(RegistryExtension.PUSH_USER, RegistryExtension.PUSH_PASSWORD));
        try (RegistryClient client = new RegistryClient(TransportOptions.defaults(), alice, TransportListener.NONE, cache)) {
            assertThat(client.pull(ImageReference.parse(token.hostPort() + "/team/app:1")).findManifest("1"))
                    .hasValueSatisfying(m -> assertThat(m.digest()).isEqualTo(image.digest()));
        }
    }

    @Test
    void clientsSharingACachePingOnceAndStillAuthenticate() {
        EndpointCache shared = new EndpointCache();
        token.clearRequests();
        readManifest(shared);
        assertThat(pings(token.awaitRequests())).isEqualTo(1);

        token.clearRequests();
        readManifest(shared);
        List<RegistryRequest> second = token.awaitRequests();
        assertThat(pings(second)).isZero();
        // the cached challenge got a token at once: the manifest answered 200, with no 401 round first
        assertThat(second).extracting(RegistryRequest::status).containsOnly(200);

        token.clearRequests();
        readManifest(new EndpointCache());
        assertThat(pings(token.awaitRequests())).isEqualTo(1);
    }

    @Test
    void anEntryExpires() {
        AtomicLong now = new AtomicLong();
        EndpointCache cache = new EndpointCache(now::get);
        Endpoints.Endpoint endpoint = new Endpoints.Endpoint("r.example", URI.create("https://r.example/"), Optional.empty());
        cache.put(endpoint);
        now.addAndGet(EndpointCache.TIME_TO_LIVE.toNanos() - 1);
        assertThat(cache.get("r.example")).contains(endpoint);
        assertThat(cache.get("other.example")).isEmpty();
        now.addAndGet(1);
        assertThat(cache.get("r.example")).isEmpty();
    }
}
