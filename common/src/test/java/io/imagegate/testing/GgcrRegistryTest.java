package io.imagegate.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.oci.MediaTypes;
import io.imagegate.oci.Platform;
import io.imagegate.reference.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * go-containerregistry's registry as the tests start it: it serves the referrers API, with the
 * quirks main.go of tools/ggcr-registry lists. Pushes with the JDK's HTTP client ({@link
 * ImagePusher} needs a {@link RegistryExtension}).
 */
@NeedsComponents
class GgcrRegistryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String NOTE_TYPE = "application/vnd.imagegate.test.note+json";
    private static final byte[] EMPTY = "{}".getBytes(StandardCharsets.UTF_8);

    private static GgcrRegistry registry;

    @BeforeAll
    static void start() {
        registry = new GgcrRegistry();
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void listsAnArtifactAsAReferrerOfItsSubjectWithItsConfigMediaTypeAsArtifactType()
            throws IOException {
        String repo = "ggcr/app";
        TestImages.Image image =
                TestImages.randomImage(11, Platform.parse("linux/amd64"), 64, true);
        for (TestImages.Blob blob : image.blobs()) {
            pushBlob(repo, blob.digest(), blob.bytes());
        }
        assertThat(putManifest(repo, "1", image.mediaType(), image.bytes()).statusCode())
                .isEqualTo(201);

        byte[] note = "{\"note\":\"hello\"}".getBytes(StandardCharsets.UTF_8);
        pushBlob(repo, Digest.sha256(EMPTY), EMPTY);
        pushBlob(repo, Digest.sha256(note), note);
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        m.put("artifactType", NOTE_TYPE);
        m.set("config", descriptor(MediaTypes.OCI_EMPTY, EMPTY));
        m.putArray("layers").add(descriptor(NOTE_TYPE, note));
        m.set("subject", descriptor(image.mediaType(), image.bytes()));
        m.putObject("annotations").put("io.imagegate.test", "referrer");
        byte[] artifact = JSON.writeValueAsBytes(m);
        Digest artifactDigest = Digest.sha256(artifact);
        HttpResponse<String> put =
                putManifest(repo, artifactDigest.toString(), MediaTypes.OCI_MANIFEST, artifact);
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(put.headers().firstValue("OCI-Subject"))
                .as("ggcr sends no OCI-Subject header")
                .isEmpty();

        HttpResponse<String> referrers = get("/v2/" + repo + "/referrers/" + image.digest());
        assertThat(referrers.statusCode()).isEqualTo(200);
        assertThat(referrers.headers().firstValue("Content-Type")).contains(MediaTypes.OCI_INDEX);
        JsonNode index = JSON.readTree(referrers.body());
        assertThat(index.path("mediaType").asText()).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(index.path("manifests")).hasSize(1);
        JsonNode d = index.path("manifests").get(0);
        assertThat(d.path("digest").asText()).isEqualTo(artifactDigest.toString());
        assertThat(d.path("mediaType").asText()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(d.path("size").asLong()).isEqualTo(artifact.length);
        assertThat(d.path("annotations").path("io.imagegate.test").asText()).isEqualTo("referrer");
        // ggcr's quirk: the config's media type, not the manifest's artifactType
        assertThat(d.path("artifactType").asText()).isEqualTo(MediaTypes.OCI_EMPTY);

        // ...and no filtering: an artifactType query still lists it, and says nothing was filtered
        HttpResponse<String> filtered =
                get(
                        "/v2/"
                                + repo
                                + "/referrers/"
                                + image.digest()
                                + "?artifactType=application%2Fx-other");
        assertThat(JSON.readTree(filtered.body()).path("manifests")).hasSize(1);
        assertThat(filtered.headers().firstValue("OCI-Filters-Applied")).isEmpty();

        HttpResponse<String> none = get("/v2/" + repo + "/referrers/" + artifactDigest);
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(none.body()).path("manifests")).isEmpty();
        // a repository with no manifest answers 404, which a client can take for "no referrers API"
        assertThat(get("/v2/ggcr/nothing/referrers/" + image.digest()).statusCode()).isEqualTo(404);
    }

    @Test
    void closeEndsTheProcess() throws IOException {
        try (GgcrRegistry other = new GgcrRegistry()) {
            assertThat(other.hostPort())
                    .matches("127\\.0\\.0\\.1:[0-9]+")
                    .isNotEqualTo(registry.hostPort());
            assertThat(
                            HTTP.send(
                                            HttpRequest.newBuilder(other.baseUri().resolve("/v2/"))
                                                    .build(),
                                            HttpResponse.BodyHandlers.discarding())
                                    .statusCode())
                    .isEqualTo(200);
            other.close();
            int port = other.baseUri().getPort();
            assertThatThrownBy(
                            () -> {
                                try (Socket socket = new Socket()) {
                                    socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
                                }
                            })
                    .isInstanceOf(ConnectException.class);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode descriptor(String mediaType, byte[] bytes) {
        ObjectNode d = JSON.createObjectNode();
        d.put("mediaType", mediaType);
        d.put("digest", Digest.sha256(bytes).toString());
        d.put("size", bytes.length);
        return d;
    }

    private static void pushBlob(String repo, Digest digest, byte[] bytes) {
        HttpResponse<String> start =
                send(
                        HttpRequest.newBuilder(uri("/v2/" + repo + "/blobs/uploads/"))
                                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(start.statusCode()).as("start upload: %s", start.body()).isEqualTo(202);
        String location = start.headers().firstValue("Location").orElseThrow();
        URI put =
                registry.baseUri()
                        .resolve(
                                location
                                        + (location.contains("?") ? "&" : "?")
                                        + "digest="
                                        + digest);
        HttpResponse<String> done =
                send(
                        HttpRequest.newBuilder(put)
                                .header("Content-Type", "application/octet-stream")
                                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
        assertThat(done.statusCode()).as("upload blob %s: %s", digest, done.body()).isEqualTo(201);
    }

    private static HttpResponse<String> putManifest(
            String repo, String reference, String mediaType, byte[] bytes) {
        return send(
                HttpRequest.newBuilder(uri("/v2/" + repo + "/manifests/" + reference))
                        .header("Content-Type", mediaType)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
    }

    private static HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).header("Accept", MediaTypes.OCI_INDEX).GET());
    }

    private static URI uri(String path) {
        return registry.baseUri().resolve(path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
