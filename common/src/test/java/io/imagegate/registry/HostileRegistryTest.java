package io.imagegate.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.copy.ImageImporter;
import io.imagegate.copy.ImportListener;
import io.imagegate.copy.ImportRequest;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.oci.Manifest;
import io.imagegate.oci.MediaTypes;
import io.imagegate.oci.Platform;
import io.imagegate.reference.Digest;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.auth.CredentialProvider;
import io.imagegate.registry.auth.Credentials;
import io.imagegate.testing.HostileServer;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestCertificates;
import io.imagegate.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A registry that holds imagegate as long as it likes, sends more than it should, or lies:
 * imagegate stays bounded in time and bytes, fails cleanly with a message that says what happened,
 * and leaves no tag behind.
 */
@NeedsComponents
class HostileRegistryTest {
    @RegisterExtension static final RegistryExtension target = RegistryExtension.anonymous();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration EXCHANGE = Duration.ofSeconds(2);

    /** Tight bounds, so each attack shows in a second or two. */
    private static TransportOptions options() {
        return TransportOptions.defaults()
                .withTimeouts(Duration.ofSeconds(2), EXCHANGE, Duration.ofMinutes(5))
                .withStallDetection(16 * 1024, Duration.ofSeconds(1))
                .withMaxRetries(2);
    }

    private static RegistryClient client() {
        return new RegistryClient(
                options(), CredentialProvider.anonymous(), TransportListener.NONE);
    }

    /** Serves a fixed set of manifests and blobs; anything else is 404. */
    static final class Content {
        final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
        final Map<String, String> types = new ConcurrentHashMap<>();
        final Map<String, byte[]> blobs = new ConcurrentHashMap<>();

        Content manifest(String repo, String ref, byte[] bytes, String type) {
            manifests.put(repo + "/" + ref, bytes);
            types.put(repo + "/" + ref, type);
            manifests.put(repo + "/" + Digest.sha256(bytes), bytes);
            types.put(repo + "/" + Digest.sha256(bytes), type);
            return this;
        }

        Content blob(String repo, byte[] bytes) {
            blobs.put(repo + "/" + Digest.sha256(bytes), bytes);
            return this;
        }

        boolean handle(HostileServer.Request r, HostileServer.Out out) throws java.io.IOException {
            if (r.path().equals("/v2/")) {
                out.respond(200, Map.of("Content-Type", "application/json"), "{}");
                return true;
            }
            if (r.path().matches("^/v2/.+/referrers/[^/?]+$")) {
                // a registry without the referrers API, as the distribution registry answers
                out.respond(
                        404,
                        Map.of(),
                        "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"unknown\"}]}");
                return true;
            }
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("^/v2/(.+)/(manifests|blobs)/([^/?]+)$")
                            .matcher(r.path());
            if (!m.matches()) {
                return false;
            }
            String key = m.group(1) + "/" + m.group(3);
            byte[] body = m.group(2).equals("manifests") ? manifests.get(key) : blobs.get(key);
            if (body == null) {
                out.respond(
                        404,
                        Map.of(),
                        "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"unknown\"}]}");
                return true;
            }
            Map<String, String> headers = new java.util.HashMap<>();
            headers.put("Docker-Content-Digest", Digest.sha256(body).toString());
            if (m.group(2).equals("manifests")) {
                headers.put("Content-Type", types.get(key));
            }
            if (r.method().equals("HEAD")) {
                out.head(
                        200,
                        Map.of(
                                "Docker-Content-Digest",
                                headers.get("Docker-Content-Digest"),
                                "Content-Type",
                                headers.getOrDefault("Content-Type", "application/octet-stream"),
                                "Content-Length",
                                String.valueOf(body.length)));
            } else {
                out.respond(200, headers, body);
            }
            return true;
        }
    }

    private static byte[] json(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode descriptor(String type, byte[] content) {
        ObjectNode d = JSON.createObjectNode();
        d.put("mediaType", type);
        d.put("digest", Digest.sha256(content).toString());
        d.put("size", content.length);
        return d;
    }

    /**
     * {@code repo:1}, an image of {@code layer}: its manifest and config served, the layer left to
     * the test.
     */
    private static Content oneLayerImage(String repo, byte[] layer) {
        byte[] config =
                "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        m.set("config", descriptor(MediaTypes.OCI_CONFIG, config));
        m.putArray("layers").add(descriptor(MediaTypes.OCI_LAYER_GZIP, layer));
        return new Content()
                .manifest(repo, "1", json(m), MediaTypes.OCI_MANIFEST)
                .blob(repo, config);
    }

    /** How a test's server sends a layer's body (after a 200 with its length). */
    private interface LayerBody {
        void send(HostileServer.Out out) throws java.io.IOException, InterruptedException;
    }

    /**
     * A source serving {@code src/app:1}, an image of {@code layer}, whose body {@code body} sends.
     */
    private static HostileServer servingOneLayer(byte[] layer, LayerBody body) {
        Content content = oneLayerImage("src/app", layer);
        String layerPath = "/v2/src/app/blobs/" + Digest.sha256(layer);
        return new HostileServer(
                (r, out) -> {
                    if (r.path().equals(layerPath)) {
                        out.head(200, Map.of("Content-Length", String.valueOf(layer.length)));
                        if (r.method().equals("GET")) {
                            body.send(out);
                        }
                        return;
                    }
                    content.handle(r, out);
                });
    }

    private static Duration time(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static Duration timeFailure(
            Runnable action, java.util.function.Consumer<ImageGateException> check) {
        long start = System.nanoTime();
        try {
            action.run();
            throw new AssertionError("expected a failure");
        } catch (ImageGateException e) {
            check.accept(e);
            assertThat(e.getMessage()).doesNotContain("Exception").doesNotContain("\tat ");
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static ImageReference ref(HostileServer server, String path) {
        return ImageReference.parse(server.hostPort() + "/" + path);
    }

    @Test
    void anEndlessErrorBodyIsNeverReadToItsEnd() {
        try (HostileServer server =
                        new HostileServer(
                                (r, out) -> {
                                    if (r.path().equals("/v2/")) {
                                        out.respond(200, Map.of(), "{}");
                                        return;
                                    }
                                    out.head(
                                            404,
                                            Map.of(
                                                    "Content-Length",
                                                    String.valueOf(200L * 1024 * 1024 * 1024)));
                                    byte[] chunk = new byte[64 * 1024];
                                    while (true) {
                                        out.write(chunk);
                                    }
                                });
                RegistryClient client = client()) {
            Duration took =
                    time(
                            () ->
                                    assertThat(client.pull(ref(server, "x/y:1")).findManifest("1"))
                                            .isEmpty());
            assertThat(took).isLessThan(Duration.ofSeconds(5));
            // what the socket buffers absorbed, nowhere near the 200 GiB the body claims
            assertThat(server.bytesWritten()).isLessThan(16L * 1024 * 1024);
        }
    }

    @Test
    void aDrippingErrorBodyIsCutOff() {
        try (HostileServer server =
                        new HostileServer(
                                (r, out) -> {
                                    if (r.path().equals("/v2/")) {
                                        out.respond(200, Map.of(), "{}");
                                        return;
                                    }
                                    out.head(500, Map.of("Content-Length", "100000"));
                                    while (true) {
                                        out.write("x");
                                        Thread.sleep(100);
                                    }
                                });
                RegistryClient client = client()) {
            Duration took =
                    timeFailure(
                            () -> client.pull(ref(server, "x/y:1")).getManifest("1"),
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT));
            // two quick retries (their bodies dropped unread), then the error document is given a
            // few seconds at most
            assertThat(took).isLessThan(Duration.ofSeconds(12));
        }
    }

    @Test
    void aPingThatNeverAnswersFailsAtTheDeadlineSayingSo() {
        try (HostileServer server = new HostileServer((r, out) -> Thread.sleep(120_000));
                RegistryClient client = client()) {
            Duration took =
                    timeFailure(
                            () -> client.pull(ref(server, "x/y:1")).headManifest("1"),
                            e -> {
                                assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
                                assertThat(e.getMessage())
                                        .contains("did not finish answering GET /v2/ within 2 s");
                            });
            assertThat(took).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void aTokenServerThatNeverAnswersFailsAtTheDeadline() {
        try (HostileServer server =
                        new HostileServer(
                                (r, out) -> {
                                    if (r.path().startsWith("/token")) {
                                        Thread.sleep(120_000);
                                    }
                                    out.respond(
                                            401,
                                            Map.of(
                                                    "WWW-Authenticate",
                                                    "Bearer realm=\"http://127.0.0.1:"
                                                            + r.header("host").replaceAll(".*:", "")
                                                            + "/token\",service=\"x\""),
                                            "");
                                });
                RegistryClient client = client()) {
            Duration took =
                    timeFailure(
                            () -> client.pull(ref(server, "x/y:1")).headManifest("1"),
                            e -> {
                                assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
                                assertThat(e.getMessage())
                                        .contains("a token from 127.0.0.1")
                                        .contains("within 2 s");
                            });
            assertThat(took).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aRetryAfterAboveTheCapFailsAtOnceNamingTheWait() {
        for (String retryAfter :
                List.of("100000", "9223372036854775807", "99999999999999999999999999")) {
            try (HostileServer server =
                            new HostileServer(
                                    (r, out) ->
                                            out.respond(
                                                    429, Map.of("Retry-After", retryAfter), ""));
                    RegistryClient client = client()) {
                Duration took =
                        timeFailure(
                                () -> client.pull(ref(server, "x/y:1")).headManifest("1"),
                                e -> {
                                    assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
                                    assertThat(e.getMessage())
                                            .contains("asked to wait")
                                            .contains("longer than the 1 min imagegate waits");
                                });
                assertThat(took).isLessThan(Duration.ofSeconds(2));
            }
        }
    }

    /**
     * A source whose layer stalls half-way: the copy is cut off and fails, and the target gets no
     * tag.
     */
    /**
     * An image of one random layer, served by {@code content} under {@code repo:1}; returns the
     * layer.
     */
    private static byte[] oneLayerImage(Content content, String repo, int layerBytes, long seed) {
        byte[] layer = new byte[layerBytes];
        new java.util.Random(seed).nextBytes(layer);
        byte[] config =
                ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":" + seed + "}")
                        .getBytes(StandardCharsets.UTF_8);
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        m.set("config", descriptor(MediaTypes.OCI_CONFIG, config));
        m.putArray("layers").add(descriptor(MediaTypes.OCI_LAYER_GZIP, layer));
        content.manifest(repo, "1", json(m), MediaTypes.OCI_MANIFEST).blob(repo, config);
        return layer;
    }

    /**
     * Serves {@code repo:1} of one 4 MiB layer that arrives in 64 KiB pieces over about 4 s: slow
     * enough to be under way for seconds, fast enough that the upload (which holds back one 256 KiB
     * read until the digest is checked) never looks stalled.
     */
    private static HostileServer dripping(String repo, long seed) {
        Content content = new Content();
        byte[] layer = oneLayerImage(content, repo, 4 * 1024 * 1024, seed);
        String path = "/v2/" + repo + "/blobs/" + Digest.sha256(layer);
        return new HostileServer(
                (r, out) -> {
                    if (r.path().equals(path) && r.method().equals("GET")) {
                        out.head(200, Map.of("Content-Length", String.valueOf(layer.length)));
                        for (int at = 0; at < layer.length; at += 64 * 1024) {
                            out.write(
                                    java.util.Arrays.copyOfRange(
                                            layer, at, Math.min(layer.length, at + 64 * 1024)));
                            Thread.sleep(60);
                        }
                        return;
                    }
                    content.handle(r, out);
                });
    }

    @Test
    void anImportOutOfTimeCutsOffOnlyItsOwnRequestsNotThoseOfAnImportBesideIt() throws Exception {
        // Two imports on one client, as a sync runs them: one stalls and runs out of its time; the
        // other's layer is still
        // arriving when that happens, and is neither cut off nor fetched again.
        Content stalled = new Content();
        byte[] stalledLayer = oneLayerImage(stalled, "src/stalls", 256 * 1024, 11);
        String stalledPath = "/v2/src/stalls/blobs/" + Digest.sha256(stalledLayer);
        try (HostileServer stalls =
                        new HostileServer(
                                (r, out) -> {
                                    if (r.path().equals(stalledPath) && r.method().equals("GET")) {
                                        out.head(
                                                200,
                                                Map.of(
                                                        "Content-Length",
                                                        String.valueOf(stalledLayer.length)));
                                        out.write(java.util.Arrays.copyOf(stalledLayer, 1000));
                                        Thread.sleep(120_000);
                                        return;
                                    }
                                    stalled.handle(r, out);
                                });
                HostileServer drips = dripping("src/beside", 13);
                RegistryClient client = client()) {
            java.util.concurrent.CompletableFuture<io.imagegate.copy.CopyResult> beside =
                    java.util.concurrent.CompletableFuture.supplyAsync(
                            () ->
                                    new ImageImporter(client, ImportListener.NONE)
                                            .importImage(
                                                    ImportRequest.of(
                                                            ref(drips, "src/beside:1"),
                                                            ImageReference.parse(
                                                                    target.hostPort()
                                                                            + "/beside/app:1"))));
            Thread.sleep(300); // the slow layer is under way
            assertThatThrownBy(
                            () ->
                                    new ImageImporter(client, ImportListener.NONE)
                                            .importImage(
                                                    ImportRequest.of(
                                                                    ref(stalls, "src/stalls:1"),
                                                                    ImageReference.parse(
                                                                            target.hostPort()
                                                                                    + "/outoftime/app:1"))
                                                            .withTimeout(Duration.ofSeconds(1))))
                    .isInstanceOfSatisfying(
                            ImageGateException.class,
                            e -> assertThat(e.message().code()).isEqualTo("import.timeout"));
            assertThat(beside.isDone())
                    .as("the import beside it was still running when the other ran out of time")
                    .isFalse();
            assertThat(beside.get(60, java.util.concurrent.TimeUnit.SECONDS).copied().blobs())
                    .isEqualTo(2);
            // fetched once: not cut off and copied again
            assertThat(drips.requests())
                    .filteredOn(r -> r.method().equals("GET") && r.path().contains("/blobs/"))
                    .hasSize(2);
            assertThat(new ImagePusher(target).tagExists("beside/app", "1")).isTrue();
            assertThat(new ImagePusher(target).tagExists("outoftime/app", "1")).isFalse();
        }
    }

    @Test
    void aStallingBlobIsAbortedAndNothingIsTagged() {
        byte[] layer = new byte[512 * 1024];
        new java.util.Random(1).nextBytes(layer);
        try (HostileServer server =
                        servingOneLayer(
                                layer,
                                out -> {
                                    out.write(java.util.Arrays.copyOf(layer, 100_000));
                                    Thread.sleep(120_000);
                                });
                RegistryClient client = client()) {
            ImageReference to = ImageReference.parse(target.hostPort() + "/stalled/app:1");
            Duration took =
                    timeFailure(
                            () ->
                                    new ImageImporter(client, ImportListener.NONE)
                                            .importImage(
                                                    ImportRequest.of(ref(server, "src/app:1"), to)),
                            e -> {
                                assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
                                assertThat(e.getMessage()).contains("stalled").contains("GET blob");
                            });
            assertThat(took).isLessThan(Duration.ofSeconds(15));
            assertThat(new ImagePusher(target).tagExists("stalled/app", "1")).isFalse();
        }
    }

    /**
     * A source slower than the upload's hold-back fills in one stall window (512 KiB in 1 s here),
     * yet well above the minimum rate, is copied: the upload waits on its source, not on its
     * registry, so only the time inside its writes counts against its registry. (It used to be cut
     * off as a stalled upload before its first write.)
     */
    @Test
    void aSlowButSteadySourceIsNotMistakenForAStalledUpload() {
        byte[] layer = new byte[600 * 1024];
        new java.util.Random(2).nextBytes(layer);
        try (HostileServer server =
                        servingOneLayer(
                                layer,
                                out -> {
                                    for (int at = 0;
                                            at < layer.length;
                                            at += 30 * 1024) { // about 300 KiB/s
                                        out.write(
                                                java.util.Arrays.copyOfRange(
                                                        layer,
                                                        at,
                                                        Math.min(layer.length, at + 30 * 1024)));
                                        Thread.sleep(100);
                                    }
                                });
                RegistryClient client = client()) {
            ImageReference to = ImageReference.parse(target.hostPort() + "/slow-source/app:1");
            new ImageImporter(client, ImportListener.NONE)
                    .importImage(ImportRequest.of(ref(server, "src/app:1"), to));
            assertThat(new ImagePusher(target).tagExists("slow-source/app", "1")).isTrue();
        }
    }

    /**
     * A registry that stops taking an upload's bytes is cut off as stalled, though the source still
     * has bytes to give.
     */
    @Test
    void aRegistryThatStopsTakingAnUploadIsCutOff() throws Exception {
        TestImages.Image image =
                TestImages.randomImage(3, Platform.parse("linux/amd64"), 24 * 1024 * 1024, true);
        new ImagePusher(target).push("upload-source/app", "1", image);
        try (HostileServer sink =
                        new HostileServer(
                                        (r, out) -> {
                                            if (r.path().equals("/v2/")) {
                                                out.respond(200, Map.of(), "{}");
                                            } else if (r.method().equals("POST")) {
                                                out.respond(
                                                        202,
                                                        Map.of(
                                                                "Location",
                                                                "/v2/sink/app/blobs/uploads/u1?_state=x"),
                                                        "");
                                            } else if (r.method().equals("PUT")) {
                                                Thread.sleep(120_000); // takes none of the body
                                            } else {
                                                out.respond(
                                                        404,
                                                        Map.of(),
                                                        "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\",\"message\":\"unknown\"}]}");
                                            }
                                        })
                                .leavingBodiesUnread(line -> line.startsWith("PUT "));
                RegistryClient client = client()) {
            Duration took =
                    timeFailure(
                            () ->
                                    new ImageImporter(client, ImportListener.NONE)
                                            .importImage(
                                                    ImportRequest.of(
                                                            ImageReference.parse(
                                                                    target.hostPort()
                                                                            + "/upload-source/app:1"),
                                                            ref(sink, "sink/app:1"))),
                            e -> {
                                assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
                                assertThat(e.getMessage()).contains("stalled during PUT");
                            });
            assertThat(took).isLessThan(Duration.ofSeconds(15));
        }
    }

    /**
     * Four nested indexes, each listing its child 40 times: 40^4 manifests by count, 5 distinct.
     * Each is fetched once.
     */
    @Test
    void anIndexListingTheSameChildManyTimesCostsOneFetchEach() {
        TestImages.Image image =
                TestImages.randomImage(5, Platform.parse("linux/amd64"), 2_000, true);
        Content content =
                new Content()
                        .manifest(
                                "src/app",
                                image.digest().toString(),
                                image.bytes(),
                                image.mediaType());
        image.blobs().forEach(b -> content.blob("src/app", b.bytes()));
        byte[] child = image.bytes();
        String childType = image.mediaType();
        for (int level = 0; level < 4; level++) {
            ObjectNode index = JSON.createObjectNode();
            index.put("schemaVersion", 2);
            index.put("mediaType", MediaTypes.OCI_INDEX);
            ArrayNode list = index.putArray("manifests");
            for (int i = 0; i < 40; i++) {
                ObjectNode d = descriptor(childType, child);
                d.putObject("platform").put("os", "linux").put("architecture", "amd64");
                list.add(d);
            }
            child = json(index);
            childType = MediaTypes.OCI_INDEX;
            content.manifest("src/app", level == 3 ? "1" : "level" + level, child, childType);
        }
        try (HostileServer server = new HostileServer((r, out) -> content.handle(r, out));
                RegistryClient client = client()) {
            ImageReference to = ImageReference.parse(target.hostPort() + "/repeats/app:1");
            new ImageImporter(client, ImportListener.NONE)
                    .importImage(ImportRequest.of(ref(server, "src/app:1"), to));
            long manifestGets =
                    server.requests().stream()
                            .filter(
                                    r ->
                                            r.method().equals("GET")
                                                    && r.path().contains("/manifests/"))
                            .count();
            assertThat(manifestGets).isEqualTo(5);
            assertThat(new ImagePusher(target).manifestDigest("repeats/app", "1"))
                    .contains(Digest.sha256(child));
        }
    }

    /**
     * A refusal for unknown content of a manifest that lists none: nothing is there to answer HEAD,
     * so no second PUT.
     */
    @Test
    void aManifestListingNothingIsNotPutAgainWhenRefused() {
        byte[] emptyIndex =
                ("{\"schemaVersion\":2,\"mediaType\":\""
                                + MediaTypes.OCI_INDEX
                                + "\",\"manifests\":[]}")
                        .getBytes(StandardCharsets.UTF_8);
        byte[] emptyArtifact =
                ("{\"mediaType\":\""
                                + MediaTypes.OCI_ARTIFACT_MANIFEST
                                + "\",\"artifactType\":\"application/x.test\","
                                + "\"blobs\":[]}")
                        .getBytes(StandardCharsets.UTF_8);
        for (byte[] bytes : List.of(emptyIndex, emptyArtifact)) {
            Manifest manifest = Manifest.parse(bytes, "", "the test");
            assertThat(manifest.isIndex() ? manifest.manifests() : manifest.blobs()).isEmpty();
            java.util.concurrent.atomic.AtomicInteger puts =
                    new java.util.concurrent.atomic.AtomicInteger();
            try (HostileServer server =
                            new HostileServer(
                                    (r, out) -> {
                                        if (r.method().equals("PUT")
                                                && r.path().equals("/v2/dst/app/manifests/1")) {
                                            if (puts.incrementAndGet() == 1) {
                                                out.respond(
                                                        400,
                                                        Map.of("Content-Type", "application/json"),
                                                        "{\"errors\":[{\"code\":\"MANIFEST_BLOB_UNKNOWN\",\"message\":\"blob unknown to registry\"}]}");
                                            } else {
                                                out.respond(
                                                        201,
                                                        Map.of(
                                                                "Docker-Content-Digest",
                                                                manifest.digest().toString()),
                                                        "");
                                            }
                                            return;
                                        }
                                        out.respond(
                                                r.path().equals("/v2/") ? 200 : 404, Map.of(), "");
                                    });
                    RegistryClient client = client()) {
                RemoteRepository to = client.push(ref(server, "dst/app:1"));
                assertThatThrownBy(() -> to.putManifest("1", manifest))
                        .hasMessageContaining("MANIFEST_BLOB_UNKNOWN");
                assertThat(puts.get()).as(manifest.mediaType()).isEqualTo(1);
            }
        }
    }

    /**
     * The distribution registry writes a blob's link in place: while another client commits the
     * same blob into the same repository, a manifest PUT can be refused for a blob that is there.
     * One more PUT, only when every blob answers HEAD; a blob that really is missing gets no second
     * PUT.
     */
    @Test
    void aManifestRefusedForABlobThatIsThereIsPutOnceMore() {
        TestImages.Image image =
                TestImages.randomImage(2, Platform.parse("linux/amd64"), 1_000, true);
        for (boolean blobsThere : List.of(true, false)) {
            Content content =
                    new Content().manifest("src/app", "1", image.bytes(), image.mediaType());
            image.blobs().forEach(b -> content.blob("src/app", b.bytes()));
            if (blobsThere) {
                image.blobs().forEach(b -> content.blob("dst/app", b.bytes()));
            } else {
                content.blob(
                        "dst/app",
                        image.blobs().get(0).bytes()); // the others get uploaded, then vanish
            }
            java.util.concurrent.atomic.AtomicInteger puts =
                    new java.util.concurrent.atomic.AtomicInteger();
            try (HostileServer server =
                            new HostileServer(
                                    (r, out) -> {
                                        if (r.method().equals("PUT")
                                                && r.path().equals("/v2/dst/app/manifests/1")) {
                                            if (puts.incrementAndGet() == 1) {
                                                out.respond(
                                                        400,
                                                        Map.of("Content-Type", "application/json"),
                                                        "{\"errors\":[{\"code\":\"DIGEST_INVALID\",\"message\":"
                                                                + "\"provided digest did not match uploaded content\"},{\"code\":\"MANIFEST_BLOB_UNKNOWN\",\"message\":"
                                                                + "\"blob unknown to registry\"}]}");
                                            } else {
                                                out.respond(
                                                        201,
                                                        Map.of(
                                                                "Docker-Content-Digest",
                                                                image.digest().toString()),
                                                        "");
                                            }
                                            return;
                                        }
                                        if (r.method().equals("POST")
                                                && r.path()
                                                        .startsWith("/v2/dst/app/blobs/uploads/")) {
                                            out.respond(
                                                    202,
                                                    Map.of(
                                                            "Location",
                                                            "/v2/dst/app/blobs/uploads/u1"),
                                                    "");
                                            return;
                                        }
                                        if (r.method().equals("PUT")
                                                && r.path()
                                                        .startsWith(
                                                                "/v2/dst/app/blobs/uploads/u1")) {
                                            out.respond(201, Map.of(), "");
                                            return;
                                        }
                                        if (!content.handle(r, out)) {
                                            out.respond(404, Map.of(), "");
                                        }
                                    });
                    RegistryClient client = client()) {
                ImportRequest request =
                        ImportRequest.of(ref(server, "src/app:1"), ref(server, "dst/app:1"));
                if (blobsThere) {
                    new ImageImporter(client, ImportListener.NONE).importImage(request);
                    assertThat(puts.get()).isEqualTo(2);
                } else {
                    assertThatThrownBy(
                                    () ->
                                            new ImageImporter(client, ImportListener.NONE)
                                                    .importImage(request))
                            .hasMessageContaining("MANIFEST_BLOB_UNKNOWN");
                    assertThat(puts.get()).isEqualTo(1);
                }
            }
        }
    }

    @Test
    void aDescriptorWithoutASizeIsRefusedBeforeAnyBlobMoves() {
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        for (String size : List.of("", "-1", "1.5", "\"12\"")) {
            ObjectNode m = JSON.createObjectNode();
            m.put("schemaVersion", 2);
            m.put("mediaType", MediaTypes.OCI_MANIFEST);
            m.set("config", descriptor(MediaTypes.OCI_CONFIG, config));
            ObjectNode layer = descriptor(MediaTypes.OCI_LAYER_GZIP, new byte[10]);
            if (size.isEmpty()) {
                layer.remove("size");
            } else {
                layer.set("size", readTree(size));
            }
            m.putArray("layers").add(layer);
            Content content =
                    new Content().manifest("src/app", "1", json(m), MediaTypes.OCI_MANIFEST);
            try (HostileServer server = new HostileServer((r, out) -> content.handle(r, out));
                    RegistryClient client = client()) {
                timeFailure(
                        () ->
                                new ImageImporter(client, ImportListener.NONE)
                                        .importImage(
                                                ImportRequest.of(
                                                        ref(server, "src/app:1"),
                                                        ImageReference.parse(
                                                                target.hostPort()
                                                                        + "/nosize/app:1"))),
                        e -> {
                            assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY);
                            assertThat(e.getMessage()).contains("without a valid size");
                        });
                assertThat(server.requests()).noneMatch(r -> r.path().contains("/blobs/"));
            }
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aHugeHeaderIsRefusedWithoutBeingRead() {
        try (HostileServer server =
                        new HostileServer(
                                (r, out) -> {
                                    out.write(
                                            "HTTP/1.1 401 X\r\nWWW-Authenticate: Bearer realm=\"");
                                    byte[] chunk =
                                            "a"
                                                    .repeat(64 * 1024)
                                                    .getBytes(StandardCharsets.US_ASCII);
                                    for (int i = 0; i < 200 * 16; i++) {
                                        out.write(chunk);
                                    }
                                });
                RegistryClient client = client()) {
            Duration took =
                    timeFailure(
                            () -> client.pull(ref(server, "x/y:1")).headManifest("1"),
                            e -> {
                                assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY);
                                assertThat(e.getMessage())
                                        .contains("not valid HTTP")
                                        .contains("limit");
                            });
            assertThat(took).isLessThan(Duration.ofSeconds(5));
            assertThat(server.bytesWritten()).isLessThan(32L * 1024 * 1024);
        }
    }

    @Test
    void aConfigThatLiesAboutItsPlatformIsCaught() {
        // The manifest names an arm64 config; the registry serves an amd64 one under that digest.
        byte[] armConfig =
                "{\"architecture\":\"arm64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        byte[] amdConfig =
                "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        m.set("config", descriptor(MediaTypes.OCI_CONFIG, armConfig));
        m.putArray("layers");
        Content content = new Content().manifest("src/app", "1", json(m), MediaTypes.OCI_MANIFEST);
        content.blobs.put("src/app/" + Digest.sha256(armConfig), amdConfig);
        try (HostileServer server = new HostileServer((r, out) -> content.handle(r, out));
                RegistryClient client = client()) {
            timeFailure(
                    () ->
                            new ImageImporter(client, ImportListener.NONE)
                                    .importImage(
                                            ImportRequest.of(
                                                            ref(server, "src/app:1"),
                                                            ImageReference.parse(
                                                                    target.hostPort()
                                                                            + "/lying/app:1"))
                                                    .withPlatforms(
                                                            List.of(
                                                                    Platform.parse(
                                                                            "linux/arm64")))),
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY));
            assertThat(new ImagePusher(target).tagExists("lying/app", "1")).isFalse();
        }
    }

    @Test
    void redirectsNeverDowngradeNorLeaveHttp() throws Exception {
        TestCertificates.Issued ca = TestCertificates.selfSigned("hostile CA", true);
        Path caFile =
                TestCertificates.write(
                        Files.createTempFile("hostile-ca", ".pem"),
                        TestCertificates.pem(ca.certificate()));
        try (HostileServer plain = new HostileServer((r, out) -> out.respond(200, Map.of(), "{}"));
                HostileServer tls =
                        HostileServer.tls(
                                (r, out) -> {
                                    if (r.path().equals("/v2/")) {
                                        out.respond(200, Map.of(), "{}");
                                    } else if (r.path().contains("/downgrade/")) {
                                        out.respond(
                                                307,
                                                Map.of(
                                                        "Location",
                                                        "http://" + plain.hostPort() + r.path()),
                                                "");
                                    } else if (r.path().contains("/file/")) {
                                        out.respond(
                                                307, Map.of("Location", "file:///etc/passwd"), "");
                                    } else {
                                        out.respond(
                                                307,
                                                Map.of("Location", "http://127.0.0.1:1/a b^c"),
                                                "");
                                    }
                                },
                                ca);
                RegistryClient client =
                        new RegistryClient(
                                options().withCaFile(caFile),
                                CredentialProvider.anonymous(),
                                TransportListener.NONE)) {
            String host = "127.0.0.1:" + tls.hostPort().replaceAll(".*:", "");
            timeFailure(
                    () ->
                            client.pull(ImageReference.parse(host + "/downgrade/x:1"))
                                    .getManifest("1"),
                    e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY);
                        assertThat(e.getMessage()).contains("to plain HTTP").contains("refused");
                    });
            assertThat(plain.requests()).isEmpty();
            timeFailure(
                    () -> client.pull(ImageReference.parse(host + "/file/x:1")).getManifest("1"),
                    e -> assertThat(e.getMessage()).contains("not an http(s) URL"));
            timeFailure(
                    () -> client.pull(ImageReference.parse(host + "/junk/x:1")).getManifest("1"),
                    e -> assertThat(e.getMessage()).contains("not a valid URL"));
        }
    }

    @Test
    void aTokenRealmOverPlainHttpIsRefusedForARegistryThatIsNotAllowedIt() {
        TokenClient tokens =
                new TokenClient(
                        new Exchanger(
                                HttpClientFactory.create(options()),
                                options(),
                                TransportListener.NONE));
        AuthChallenge challenge =
                AuthChallenge.parse(
                                "Bearer realm=\"http://auth.example.invalid/token\",service=\"x\"")
                        .get(0);
        assertThatThrownBy(
                        () ->
                                tokens.token(
                                        "registry.example.invalid",
                                        challenge,
                                        Scopes.pull("a"),
                                        Optional.of(Credentials.basic("u", "p"))))
                .isInstanceOfSatisfying(
                        ImageGateException.class,
                        e -> {
                            assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY);
                            assertThat(e.getMessage()).contains("plain HTTP").doesNotContain("p@");
                        });
    }

    @Test
    void aTokenServerAnsweringWithSomethingElseIsNotEchoed() {
        String secret = "SECRET-TOKEN-0123456789";
        for (Supplier<String[]> answer :
                List.<Supplier<String[]>>of(
                        () -> new String[] {"200", secret},
                        () -> new String[] {"500", "{\"details\":\"" + secret + "\"}"},
                        () -> new String[] {"400", secret})) {
            try (HostileServer server =
                            new HostileServer(
                                    (r, out) -> {
                                        if (r.path().startsWith("/token")) {
                                            out.respond(
                                                    Integer.parseInt(answer.get()[0]),
                                                    Map.of("Content-Type", "text/plain"),
                                                    answer.get()[1]);
                                            return;
                                        }
                                        out.respond(
                                                401,
                                                Map.of(
                                                        "WWW-Authenticate",
                                                        "Bearer realm=\"http://127.0.0.1:"
                                                                + r.header("host")
                                                                        .replaceAll(".*:", "")
                                                                + "/token\",service=\"x\",scope=\"repository:x/y:pull repository:x/y:pull\""),
                                                "");
                                    });
                    RegistryClient client = client()) {
                timeFailure(
                        () -> client.pull(ref(server, "x/y:1")).headManifest("1"),
                        e -> assertThat(e.getMessage()).doesNotContain(secret));
            }
        }
    }

    @Test
    void aContentLengthThatIsNoNumberIsNoCrash() {
        Content content =
                new Content()
                        .manifest(
                                "x/y",
                                "1",
                                "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}"
                                        .getBytes(StandardCharsets.UTF_8),
                                MediaTypes.OCI_INDEX);
        try (HostileServer server =
                        new HostileServer(
                                (r, out) -> {
                                    if (r.method().equals("HEAD")
                                            && r.path().contains("/manifests/")) {
                                        out.head(
                                                200,
                                                Map.of(
                                                        "Docker-Content-Digest",
                                                        Digest.sha256(
                                                                        content.manifests.get(
                                                                                "x/y/1"))
                                                                .toString(),
                                                        "Content-Type",
                                                        MediaTypes.OCI_INDEX,
                                                        "Content-Length",
                                                        "99999999999999999999999"));
                                        return;
                                    }
                                    if (r.method().equals("GET")
                                            && r.path().contains("/manifests/")) {
                                        out.write(
                                                "HTTP/1.1 200 X\r\nContent-Length: twelve\r\nConnection: close\r\n\r\n{}");
                                        return;
                                    }
                                    content.handle(r, out);
                                });
                RegistryClient client = client()) {
            assertThat(client.pull(ref(server, "x/y:1")).headManifest("1"))
                    .hasValueSatisfying(d -> assertThat(d.size()).isEqualTo(-1));
            timeFailure(
                    () -> client.pull(ref(server, "x/y:1")).getManifest("1"),
                    e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY);
                        assertThat(e.getMessage()).contains("not valid HTTP");
                    });
        }
    }
}
