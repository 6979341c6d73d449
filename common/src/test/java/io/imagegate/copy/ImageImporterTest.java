package io.imagegate.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.message.ImageGateException;
import io.imagegate.oci.Descriptor;
import io.imagegate.oci.Manifest;
import io.imagegate.oci.MediaTypes;
import io.imagegate.oci.Platform;
import io.imagegate.reference.Digest;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.RegistryClient;
import io.imagegate.registry.RegistryConfig;
import io.imagegate.registry.TransportOptions;
import io.imagegate.registry.auth.CredentialProvider;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.RegistryFront;
import io.imagegate.testing.RegistryRequest;
import io.imagegate.testing.TestImages;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@NeedsComponents
class ImageImporterTest {
    @RegisterExtension static final RegistryExtension source = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension target = RegistryExtension.anonymous();

    static final List<Platform> FOUR =
            List.of(
                    Platform.parse("linux/amd64"),
                    Platform.parse("linux/arm64/v8"),
                    Platform.parse("linux/arm/v7"),
                    Platform.parse("linux/s390x"));

    static ImagePusher sourcePusher;
    static ImagePusher targetPusher;
    static TestImages.Image single;
    static TestImages.Index index;
    static TestImages.Image chart;

    RegistryClient client;
    ImageImporter importer;
    RecordingListener events;

    @BeforeAll
    static void pushSources() {
        sourcePusher = new ImagePusher(source);
        targetPusher = new ImagePusher(target);
        single =
                TestImages.image(
                        Platform.parse("linux/amd64"),
                        List.of(
                                TestImages.randomLayer(1, 40_000, false),
                                TestImages.randomLayer(2, 3_000, false)),
                        false);
        sourcePusher.push("lib/single", "1.0", single);
        TestImages.Blob shared = TestImages.randomLayer(100, 20_000, true);
        index = TestImages.randomIndex(10, FOUR, 16_000, List.of(shared), true);
        sourcePusher.push("lib/multi", "2.0", index);
        chart = TestImages.helmChart("mychart", "0.1.0");
        sourcePusher.push("charts/mychart", "0.1.0", chart);
    }

    @BeforeEach
    void client() {
        events = new RecordingListener();
        client =
                new RegistryClient(
                        TransportOptions.defaults(), CredentialProvider.anonymous(), events);
        importer = new ImageImporter(client, events);
    }

    @AfterEach
    void close() {
        client.close();
    }

    private static ImageReference ref(RegistryExtension registry, String repoAndTag) {
        return ImageReference.parse(registry.hostPort() + "/" + repoAndTag);
    }

    @Test
    void singleImageArrivesWithTheSameDigestAndBlobs() {
        CopyResult result =
                importer.importImage(
                        ImportRequest.of(
                                ref(source, "lib/single:1.0"), ref(target, "mirror/single:1.0")));

        assertThat(result.target().digest()).contains(single.digest());
        assertThat(result.sourceDigest()).isEqualTo(single.digest());
        assertThat(result.upToDate()).isFalse();
        assertThat(result.copied().blobs()).isEqualTo(3);
        assertThat(result.copied().bytes())
                .isEqualTo(single.blobs().stream().mapToLong(TestImages.Blob::size).sum());
        assertThat(targetPusher.manifestDigest("mirror/single", "1.0")).contains(single.digest());
        assertThat(targetPusher.getManifest("mirror/single", "1.0")).isEqualTo(single.bytes());
        for (TestImages.Blob blob : single.blobs()) {
            assertThat(targetPusher.getBlob("mirror/single", blob.digest()))
                    .isEqualTo(blob.bytes());
        }
        assertThat(events.finished).hasSize(3);
        assertThat(events.progressBytes.get()).isEqualTo(result.copied().bytes());
    }

    @Test
    void multiArchIndexKeepsItsDigestAndEveryPlatform() {
        CopyResult result =
                importer.importImage(
                        ImportRequest.of(
                                ref(source, "lib/multi:2.0"), ref(target, "mirror/multi:2.0")));

        assertThat(result.target().digest()).contains(index.digest());
        assertThat(result.digestChanged()).isFalse();
        assertThat(result.platformDigests()).isEqualTo(index.platformDigests());
        // 4 configs + 4 own layers + 1 shared layer, each copied once
        assertThat(result.copied().blobs()).isEqualTo(9);
        for (TestImages.Image image : index.images()) {
            assertThat(targetPusher.getManifest("mirror/multi", image.digest().toString()))
                    .isEqualTo(image.bytes());
        }
        assertThat(targetPusher.getManifest("mirror/multi", "2.0")).isEqualTo(index.bytes());
    }

    @Test
    void helmChartArtifactIsCopiedByteForByte() {
        CopyResult result =
                importer.importImage(
                        ImportRequest.of(
                                ref(source, "charts/mychart:0.1.0"),
                                ref(target, "charts/mychart:0.1.0")));

        assertThat(result.target().digest()).contains(chart.digest());
        assertThat(targetPusher.getManifest("charts/mychart", "0.1.0")).isEqualTo(chart.bytes());
        assertThat(targetPusher.getBlob("charts/mychart", chart.config().digest()))
                .isEqualTo(chart.config().bytes());
    }

    @Test
    void platformSubsetWritesANewIndexWithOnlyThosePlatforms() {
        List<Platform> wanted =
                List.of(Platform.parse("linux/amd64"), Platform.parse("linux/arm64"));
        CopyResult result =
                importer.importImage(
                        ImportRequest.of(
                                        ref(source, "lib/multi:2.0"),
                                        ref(target, "subset/multi:2.0"))
                                .withPlatforms(wanted));

        Digest written = targetPusher.manifestDigest("subset/multi", "2.0").orElseThrow();
        assertThat(result.target().digest()).contains(written);
        assertThat(result.digestChanged()).isTrue();
        assertThat(written).isNotEqualTo(index.digest());
        Manifest stored =
                Manifest.parse(targetPusher.getManifest("subset/multi", "2.0"), "", "subset");
        assertThat(stored.manifests())
                .extracting(d -> d.platform().orElseThrow().toString())
                .containsExactly("linux/amd64", "linux/arm64/v8");
        assertThat(result.platformDigests())
                .containsOnlyKeys(Platform.parse("linux/amd64"), Platform.parse("linux/arm64/v8"));
        TestImages.Image s390x = index.images().get(3);
        assertThat(targetPusher.blobExists("subset/multi", s390x.layers().get(1).digest()))
                .isFalse();

        // The subset is idempotent too: the same request again finds the same new index.
        CopyResult again =
                importer.importImage(
                        ImportRequest.of(
                                        ref(source, "lib/multi:2.0"),
                                        ref(target, "subset/multi:2.0"))
                                .withPlatforms(wanted));
        assertThat(again.upToDate()).isTrue();
    }

    /**
     * Nested indexes sharing a child: the top lists B1 and B2, and B1 lists B2 too. The registry
     * refuses an index whose manifests are not there yet, so B2 must be pushed before B1 although
     * the top lists B1 first.
     */
    @Test
    void anIndexSharedByTwoLevelsIsPushedBeforeEveryIndexListingIt() {
        TestImages.Image amd64 =
                TestImages.randomImage(30, Platform.parse("linux/amd64"), 2_000, true);
        TestImages.Image arm64 =
                TestImages.randomImage(31, Platform.parse("linux/arm64/v8"), 2_000, true);
        byte[] b2 = ociIndex(arm64.mediaType(), arm64.bytes());
        byte[] b1 = ociIndex(amd64.mediaType(), amd64.bytes(), MediaTypes.OCI_INDEX, b2);
        byte[] top = ociIndex(MediaTypes.OCI_INDEX, b1, MediaTypes.OCI_INDEX, b2);
        for (TestImages.Image image : List.of(amd64, arm64)) {
            image.blobs().forEach(b -> sourcePusher.pushBlob("lib/shared", b));
            sourcePusher.putManifest(
                    "lib/shared", image.digest().toString(), image.mediaType(), image.bytes());
        }
        for (byte[] index : List.of(b2, b1)) {
            sourcePusher.putManifest(
                    "lib/shared", Digest.sha256(index).toString(), MediaTypes.OCI_INDEX, index);
        }
        sourcePusher.putManifest("lib/shared", "1", MediaTypes.OCI_INDEX, top);

        CopyResult result =
                importer.importImage(
                        ImportRequest.of(
                                ref(source, "lib/shared:1"), ref(target, "mirror/shared:1")));

        assertThat(result.target().digest()).contains(Digest.sha256(top));
        assertThat(targetPusher.getManifest("mirror/shared", "1")).isEqualTo(top);
        List<String> pushed = events.pushed;
        assertThat(pushed).hasSize(5);
        assertThat(pushed.indexOf(Digest.sha256(b2).toString()))
                .isLessThan(pushed.indexOf(Digest.sha256(b1).toString()))
                .isGreaterThan(pushed.indexOf(arm64.digest().toString()));
        assertThat(pushed.indexOf(Digest.sha256(b1).toString()))
                .isGreaterThan(pushed.indexOf(amd64.digest().toString()));
        assertThat(pushed.get(4)).isEqualTo("1");
    }

    /** An OCI index of these (media type, manifest bytes) pairs. */
    private static byte[] ociIndex(Object... typesAndBytes) {
        StringBuilder manifests = new StringBuilder();
        for (int i = 0; i < typesAndBytes.length; i += 2) {
            byte[] bytes = (byte[]) typesAndBytes[i + 1];
            manifests
                    .append(i == 0 ? "" : ",")
                    .append(
                            String.format(
                                    "{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%d}",
                                    typesAndBytes[i], Digest.sha256(bytes), bytes.length));
        }
        return String.format(
                        "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"manifests\":[%s]}",
                        MediaTypes.OCI_INDEX, manifests)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void anUnknownPlatformIsNamedWithWhatExists() {
        assertThatThrownBy(
                        () ->
                                importer.importImage(
                                        ImportRequest.of(
                                                        ref(source, "lib/multi:2.0"),
                                                        ref(target, "x/multi:1"))
                                                .withPlatforms(
                                                        List.of(Platform.parse("windows/amd64")))))
                .isInstanceOf(ImageGateException.class)
                .hasMessageContaining("no windows/amd64 image")
                .hasMessageContaining("linux/arm64/v8");
    }

    @Test
    void reimportingAnUnchangedImageWithoutReferrersMakesExactlyTwoHeadRequests() {
        importer.importImage(
                ImportRequest.of(ref(source, "lib/multi:2.0"), ref(target, "again/multi:2.0"))
                        .withReferrers(ReferrerMode.NONE));
        source.clearRequests();
        target.clearRequests();
        events = new RecordingListener();
        importer = new ImageImporter(client, events);

        CopyResult result =
                importer.importImage(
                        ImportRequest.of(
                                        ref(source, "lib/multi:2.0"),
                                        ref(target, "again/multi:2.0"))
                                .withReferrers(ReferrerMode.NONE));

        assertThat(result.upToDate()).isTrue();
        assertThat(contentRequests())
                .containsExactly(
                        new RegistryRequest("HEAD", "/v2/lib/multi/manifests/2.0", 200),
                        new RegistryRequest("HEAD", "/v2/again/multi/manifests/2.0", 200));
        assertThat(events.finished).isEmpty();
    }

    /**
     * What carrying referrers costs when there are none to carry, the common case (docs/import.md):
     * per manifest of the image, its referrers in the source (the referrers API, and one tag
     * listing that tells whether its referrers tag or cosign's three legacy tags exist: no HEAD of
     * each, and no manifest GET at the source, which Docker Hub would count as a pull), and for an
     * index its manifest from the target to know its children. The target's referrers are listed
     * only when the source has any. So an unchanged image costs its two manifest HEADs and two
     * listings.
     */
    @Test
    void reimportingAnUnchangedImageCarryingReferrersAsksOnlyForThem() {
        importer.importImage(
                ImportRequest.of(ref(source, "lib/single:1.0"), ref(target, "again/single:1.0")));
        importer.importImage(
                ImportRequest.of(ref(source, "lib/multi:2.0"), ref(target, "again/multi:2.0")));
        source.clearRequests();
        target.clearRequests();

        CopyResult single =
                importer.importImage(
                        ImportRequest.of(
                                ref(source, "lib/single:1.0"), ref(target, "again/single:1.0")));

        assertThat(single.upToDate()).isTrue();
        assertThat(single.referrers()).isZero();
        String hex = single.target().digest().orElseThrow().hex();
        assertThat(contentRequests())
                .containsExactlyInAnyOrder(
                        new RegistryRequest("HEAD", "/v2/lib/single/manifests/1.0", 200),
                        new RegistryRequest("HEAD", "/v2/again/single/manifests/1.0", 200),
                        new RegistryRequest("GET", "/v2/lib/single/referrers/sha256:" + hex, 404),
                        new RegistryRequest("GET", "/v2/lib/single/tags/list", 200));

        source.clearRequests();
        target.clearRequests();
        CopyResult multi =
                importer.importImage(
                        ImportRequest.of(
                                ref(source, "lib/multi:2.0"), ref(target, "again/multi:2.0")));

        assertThat(multi.upToDate()).isTrue();
        List<RegistryRequest> requests = contentRequests();
        // 2 HEADs, the index from the target, and two listings for each of its five manifests (the
        // index and four images)
        assertThat(requests).hasSize(2 + 1 + 2 * 5);
        assertThat(requests)
                .filteredOn(r -> r.path().startsWith("/v2/again/"))
                .containsExactlyInAnyOrder(
                        new RegistryRequest("HEAD", "/v2/again/multi/manifests/2.0", 200),
                        new RegistryRequest(
                                "GET", "/v2/again/multi/manifests/" + index.digest(), 200));
        assertThat(requests).filteredOn(r -> r.path().contains("/referrers/")).hasSize(5);
        assertThat(requests).filteredOn(r -> r.path().endsWith("/tags/list")).hasSize(5);
        assertThat(requests)
                .filteredOn(r -> r.path().startsWith("/v2/lib/") && r.isManifest())
                .extracting(RegistryRequest::method)
                .containsExactly("HEAD");
    }

    private static boolean content(RegistryRequest r) {
        return r.isManifest()
                || r.isBlob()
                || r.path().contains("/referrers/")
                || r.path().endsWith("/tags/list");
    }

    /**
     * Every manifest, blob, referrers and tag-listing request both registries saw since they were
     * cleared.
     */
    private static List<RegistryRequest> contentRequests() {
        List<RegistryRequest> out = new java.util.ArrayList<>();
        source.awaitRequests().stream().filter(ImageImporterTest::content).forEach(out::add);
        target.awaitRequests().stream().filter(ImageImporterTest::content).forEach(out::add);
        return out;
    }

    @Test
    void aTargetTagHoldingAnotherImageIsOnlyOverwrittenWhenForced() {
        importer.importImage(
                ImportRequest.of(ref(source, "lib/single:1.0"), ref(target, "taken/app:1")));

        assertThatThrownBy(
                        () ->
                                importer.importImage(
                                        ImportRequest.of(
                                                ref(source, "lib/multi:2.0"),
                                                ref(target, "taken/app:1"))))
                .isInstanceOfSatisfying(
                        ImageGateException.class,
                        e -> {
                            assertThat(e.message().code()).isEqualTo("import.target-holds-other");
                            assertThat(e.message().args())
                                    .contains(io.imagegate.message.Field.FORCE);
                            assertThat(e.getMessage()).contains("already holds " + single.digest());
                        });
        assertThat(targetPusher.manifestDigest("taken/app", "1")).contains(single.digest());

        CopyResult forced =
                importer.importImage(
                        ImportRequest.of(ref(source, "lib/multi:2.0"), ref(target, "taken/app:1"))
                                .withForce(true));
        assertThat(forced.target().digest()).contains(index.digest());
        assertThat(targetPusher.manifestDigest("taken/app", "1")).contains(index.digest());
    }

    @Test
    void withinOneRegistryBlobsAreMountedNotCopied() {
        importer.importImage(
                ImportRequest.of(ref(source, "lib/single:1.0"), ref(target, "mount-from/app:1")));
        target.clearRequests();

        CopyResult result =
                importer.importImage(
                        ImportRequest.of(
                                ref(target, "mount-from/app:1"), ref(target, "mount-to/app:1")));

        assertThat(result.mounted().blobs()).isEqualTo(3);
        assertThat(result.copied().blobs()).isZero();
        assertThat(target.awaitRequests())
                .noneMatch(r -> r.method().equals("GET") && r.isBlob())
                .anyMatch(r -> r.method().equals("POST") && r.status() == 201);
        assertThat(targetPusher.manifestDigest("mount-to/app", "1")).contains(single.digest());
        for (TestImages.Blob blob : single.blobs()) {
            assertThat(targetPusher.blobExists("mount-to/app", blob.digest())).isTrue();
        }
    }

    @Test
    void blobsTheTargetHasAreSkipped() {
        importer.importImage(
                ImportRequest.of(ref(source, "lib/single:1.0"), ref(target, "skip/app:1")));
        CopyResult second =
                importer.importImage(
                        ImportRequest.of(ref(source, "lib/single:1.0"), ref(target, "skip/app:2")));
        assertThat(second.present().blobs()).isEqualTo(3);
        assertThat(second.copied().blobs()).isZero();
        assertThat(targetPusher.manifestDigest("skip/app", "2")).contains(single.digest());
    }

    @Test
    void corruptBytesFailTheImportAndNoTagIsWritten() {
        try (RegistryFront front = new RegistryFront(source)) {
            front.corruptBlob(single.layers().get(0).digest().toString());
            ImageReference from = ImageReference.parse(front.hostPort() + "/lib/single:1.0");

            assertThatThrownBy(
                            () ->
                                    importer.importImage(
                                            ImportRequest.of(from, ref(target, "corrupt/app:1"))))
                    .isInstanceOf(ImageGateException.class)
                    .hasMessageContaining("does not match its digest")
                    .hasMessageContaining("nothing was tagged");
            assertThat(targetPusher.tagExists("corrupt/app", "1")).isFalse();
            assertThat(targetPusher.blobExists("corrupt/app", single.layers().get(0).digest()))
                    .isFalse();
        }
    }

    @Test
    void rateLimitedRequestsWaitOutRetryAfter() {
        try (RegistryFront front = new RegistryFront(source)) {
            ImageReference from = ImageReference.parse(front.hostPort() + "/lib/single:1.0");
            front.throttle(2, 1);
            long start = System.nanoTime();

            CopyResult result =
                    importer.importImage(ImportRequest.of(from, ref(target, "throttled/app:1")));

            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
            assertThat(result.target().digest()).contains(single.digest());
            assertThat(front.requests()).filteredOn(r -> r.status() == 429).hasSize(2);
            assertThat(events.retries).hasSize(2).allMatch(r -> r.contains("HTTP 429"));
        }
    }

    @Test
    void aManifestThatDoesNotMatchItsDigestIsRefused() {
        try (RegistryFront front = new RegistryFront(source)) {
            front.corruptManifest(single.digest().toString());
            ImageReference from = ImageReference.parse(front.hostPort() + "/lib/single:1.0");
            assertThatThrownBy(
                            () ->
                                    importer.importImage(
                                            ImportRequest.of(
                                                    from, ref(target, "badmanifest/app:1"))))
                    .isInstanceOf(ImageGateException.class)
                    .hasMessageContaining("does not match its digest " + single.digest());
            assertThat(targetPusher.tagExists("badmanifest/app", "1")).isFalse();
        }
    }

    @Test
    void dockerHubRateLimitHeadersAreReported() {
        try (RegistryFront front = new RegistryFront(source)) {
            front.addResponseHeader("ratelimit-remaining", "76;w=21600");
            front.addResponseHeader("ratelimit-limit", "100;w=21600");
            ImageReference from = ImageReference.parse(front.hostPort() + "/lib/single:1.0");
            importer.importImage(ImportRequest.of(from, ref(target, "ratelimit/app:1")));
            assertThat(events.rateLimits).contains(front.hostPort() + " 76/100");
        }
    }

    @Test
    void serverErrorsAreRetried() {
        try (RegistryFront front = new RegistryFront(source)) {
            ImageReference from = ImageReference.parse(front.hostPort() + "/lib/single:1.0");
            front.unavailable(1, 0);
            CopyResult result =
                    importer.importImage(ImportRequest.of(from, ref(target, "unavailable/app:1")));
            assertThat(result.target().digest()).contains(single.digest());
            assertThat(front.requests()).filteredOn(r -> r.status() == 503).hasSize(1);
        }
    }

    @Test
    void largeBlobsAreUploadedInChunksWhenTheTargetRegistryIsConfiguredForThem() {
        target.clearRequests();
        TransportOptions chunking =
                TransportOptions.defaults()
                        .withRegistry(RegistryConfig.of(target.hostPort()).withChunkSize(16_384));
        CopyResult result;
        try (RegistryClient c =
                new RegistryClient(chunking, CredentialProvider.anonymous(), ImportListener.NONE)) {
            result =
                    new ImageImporter(c, ImportListener.NONE)
                            .importImage(
                                    ImportRequest.of(
                                            ref(source, "lib/single:1.0"),
                                            ref(target, "chunked/app:1")));
        }

        assertThat(result.target().digest()).contains(single.digest());
        assertThat(targetPusher.getBlob("chunked/app", single.layers().get(0).digest()))
                .isEqualTo(single.layers().get(0).bytes());
        long patches =
                target.awaitRequests().stream().filter(r -> r.method().equals("PATCH")).count();
        // the 40 KB layer in 16 KiB chunks: 3 PATCHes, and never more than its declared size
        assertThat(patches).isEqualTo(3L);
    }

    @Test
    void aMissingSourceIsNamed() {
        assertThatThrownBy(
                        () ->
                                importer.importImage(
                                        ImportRequest.of(
                                                ref(source, "lib/single:nope"),
                                                ref(target, "x/y:1"))))
                .isInstanceOf(ImageGateException.class)
                .hasMessageContaining(source.hostPort() + "/lib/single:nope")
                .hasMessageContaining("does not exist");
    }

    @Test
    void aDigestTargetIsRefused() {
        assertThatThrownBy(
                        () ->
                                importer.importImage(
                                        ImportRequest.of(
                                                ref(source, "lib/single:1.0"),
                                                ImageReference.parse(
                                                        target.hostPort()
                                                                + "/x/y@"
                                                                + single.digest()))))
                .hasMessageContaining("has a digest; name a tag");
    }

    @Test
    void progressLogReportsBlobsAndASummary() {
        List<String> lines = new CopyOnWriteArrayList<>();
        CopyResult result;
        try (RegistryClient c =
                new RegistryClient(
                        TransportOptions.defaults(),
                        CredentialProvider.anonymous(),
                        TransportListenerNone.INSTANCE)) {
            result =
                    new ImageImporter(c, new ProgressLog(lines::add, Duration.ZERO))
                            .importImage(
                                    ImportRequest.of(
                                            ref(source, "lib/single:1.0"),
                                            ref(target, "progress/app:1")));
        }
        assertThat(lines)
                .anyMatch(l -> l.startsWith("copying 1 manifest, 3 blobs"))
                .anyMatch(l -> l.contains("[3/3] copied"))
                .anyMatch(l -> l.contains("pushed tag 1 -> " + single.digest()));
        assertThat(ProgressLog.summary(result))
                .startsWith("imported " + target.hostPort() + "/progress/app:1@" + single.digest())
                .contains("3 blobs copied");
    }

    enum TransportListenerNone implements io.imagegate.registry.TransportListener {
        INSTANCE
    }

    /** Records events from the blob threads. */
    static final class RecordingListener implements ImportListener {
        final Map<Digest, BlobOutcome> finished = new ConcurrentHashMap<>();
        final AtomicLong progressBytes = new AtomicLong();
        final List<String> retries = new CopyOnWriteArrayList<>();
        final List<String> rateLimits = new CopyOnWriteArrayList<>();

        @Override
        public void rateLimit(String host, int remaining, int limit) {
            rateLimits.add(host + " " + remaining + "/" + limit);
        }

        final AtomicInteger manifests = new AtomicInteger();

        /** The references manifests were pushed under, in the order the pushes finished. */
        final List<String> pushed = new CopyOnWriteArrayList<>();

        @Override
        public void blobProgress(Descriptor blob, long bytes) {
            progressBytes.addAndGet(bytes);
        }

        @Override
        public void blobFinished(Descriptor blob, BlobOutcome outcome) {
            finished.put(blob.digest(), outcome);
        }

        @Override
        public void retrying(
                String host,
                String method,
                String path,
                String reason,
                Duration delay,
                int attempt) {
            retries.add(method + " " + path + " " + reason);
        }

        @Override
        public void manifestPushed(ImageReference target, String reference, Descriptor manifest) {
            manifests.incrementAndGet();
            pushed.add(reference);
        }
    }
}
