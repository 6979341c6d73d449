package io.imagegate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.oci.Platform;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The test infrastructure itself: the real registry in each variant, its request log, and the
 * fixtures.
 */
@NeedsComponents
class RegistryExtensionTest {
    @RegisterExtension static final RegistryExtension anonymous = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension htpasswd = RegistryExtension.htpasswd();
    @RegisterExtension static final RegistryExtension token = RegistryExtension.tokenAuth();

    private static HttpURLConnection get(URI uri) throws IOException {
        return (HttpURLConnection) uri.toURL().openConnection();
    }

    @Test
    void eachVariantAnswersItsChallenge() throws IOException {
        assertThat(anonymous.pingStatus()).isEqualTo(200);
        HttpURLConnection basic = get(htpasswd.baseUri().resolve("/v2/"));
        assertThat(basic.getResponseCode()).isEqualTo(401);
        assertThat(basic.getHeaderField("WWW-Authenticate"))
                .startsWith("Basic realm=\"imagegate-test\"");
        HttpURLConnection bearer = get(token.baseUri().resolve("/v2/"));
        assertThat(bearer.getResponseCode()).isEqualTo(401);
        assertThat(bearer.getHeaderField("WWW-Authenticate"))
                .startsWith("Bearer realm=\"" + token.tokenServer().orElseThrow().realm() + "\"")
                .contains("service=\"" + TokenServer.SERVICE + "\"");
    }

    @Test
    void mintedTokensAreTrustedByTheRegistryAndLimitedToTheirGrant() throws IOException {
        HttpURLConnection withToken = get(token.baseUri().resolve("/v2/"));
        withToken.setRequestProperty(
                "Authorization", token.authorizationHeader("any/repo", "pull"));
        assertThat(withToken.getResponseCode()).isEqualTo(200);

        String readerToken =
                token.tokenServer()
                        .orElseThrow()
                        .mint(RegistryExtension.PULL_USER, List.of("repository:r/x:pull,push"));
        HttpURLConnection push = get(token.baseUri().resolve("/v2/r/x/blobs/uploads/"));
        push.setRequestMethod("POST");
        push.setRequestProperty("Authorization", "Bearer " + readerToken);
        assertThat(push.getResponseCode()).isEqualTo(401);
    }

    @Test
    void theRequestLogCountsWhatWasAsked() {
        ImagePusher pusher = new ImagePusher(htpasswd);
        TestImages.Image image =
                TestImages.randomImage(3, Platform.parse("linux/amd64"), 2_000, true);
        pusher.push("log/app", "1", image);
        htpasswd.clearRequests();

        assertThat(pusher.manifestDigest("log/app", "1")).contains(image.digest());
        assertThat(pusher.manifestDigest("log/app", "nope")).isEmpty();

        assertThat(htpasswd.awaitRequests())
                .containsExactly(
                        new RegistryRequest("HEAD", "/v2/log/app/manifests/1", 200),
                        new RegistryRequest("HEAD", "/v2/log/app/manifests/nope", 404));
    }

    @Test
    void pushedImagesReadBackByteForByte() {
        ImagePusher pusher = new ImagePusher(anonymous);
        TestImages.Index index =
                TestImages.randomIndex(
                        5,
                        List.of(Platform.parse("linux/amd64"), Platform.parse("linux/arm64")),
                        1_000,
                        List.of(),
                        false);
        ImagePusher.PushedImage pushed = pusher.push("fixtures/index", "1", index);
        assertThat(pushed.digest()).isEqualTo(index.digest());
        assertThat(pusher.getManifest("fixtures/index", "1")).isEqualTo(index.bytes());
        TestImages.Blob layer = index.images().get(1).layers().get(0);
        assertThat(pusher.getBlob("fixtures/index", layer.digest())).isEqualTo(layer.bytes());
    }

    @Test
    void tarLayersHoldTheFilesGiven() {
        byte[] tar = TestImages.tar(java.util.Map.of("etc/alpine-release", "3.22.0\n".getBytes()));
        assertThat(tar.length % 512).isZero();
        assertThat(new String(tar, 0, 18)).isEqualTo("etc/alpine-release");
        assertThat(new String(tar, 512, 7)).isEqualTo("3.22.0\n");
    }
}
