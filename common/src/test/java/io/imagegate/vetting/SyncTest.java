package io.imagegate.vetting;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.api.ImageGate;
import io.imagegate.api.Outcome;
import io.imagegate.api.SyncResult;
import io.imagegate.api.SyncSpec;
import io.imagegate.api.TrivySettings;
import io.imagegate.message.ImageGateException;
import io.imagegate.oci.Platform;
import io.imagegate.reference.Digest;
import io.imagegate.reference.ImageReference;
import io.imagegate.report.ReportName;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.RegistryRequest;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.TestSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Keeping vetted images up with upstream. */
@NeedsComponents
class SyncTest {
    @RegisterExtension static final RegistryExtension upstream = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();

    @TempDir Path dir;

    /** Every progress line of the syncs, in order. */
    private final List<String> progress =
            java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    private SyncResult sync(Path file, String trivyPath) {
        return sync(file, trivyPath, null);
    }

    private SyncResult sync(Path file, String trivyPath, String reportDir) {
        return sync(file, trivyPath, reportDir, FixtureVulnerabilityDb.cacheDir(), null);
    }

    private SyncResult sync(
            Path file, String trivyPath, String reportDir, Path db, String rescanOlderThan) {
        TrivySettings trivy =
                TrivySettings.builder()
                        .path(trivyPath)
                        .cacheDir(db.toString())
                        .skipDbUpdate(true)
                        .skipJavaDbUpdate(true)
                        .offlineScan(true)
                        .build();
        return ImageGate.create(TestSettings.in(dir))
                .sync(
                        new SyncSpec(file.toString(), null, null, 2, reportDir, trivy)
                                .with(null, rescanOlderThan),
                        progress::add);
    }

    @Test
    void unchangedUpstreamCostsThreeRequestsAndAMovedTagIsVettedWithItsChanges()
            throws IOException {
        Platform amd64 = Platform.parse("linux/amd64");
        TestImages.Image v1 =
                TestImages.alpine(
                        amd64,
                        List.<String[]>of(
                                new String[] {"openssl", "3.5.1-r0", "openssl"},
                                new String[] {"busybox", "1.37.0-r1", "busybox"}));
        TestImages.Image tools = TestImages.cleanAlpine();
        ImagePusher up = new ImagePusher(upstream);
        up.push("library/app", "1", v1);
        up.push("library/tools", "1", tools);
        Path policy = Files.writeString(dir.resolve("policy.yaml"), "failOn: CRITICAL\n");
        Path file =
                Files.writeString(
                        dir.resolve("sync.yaml"),
                        """
                policy: policy.yaml
                images:
                  - source: %s/library/app:1
                    target: %s/base/app:1
                  - source: %s/library/tools:1
                    target: %s/base/tools:1
                """
                                .formatted(
                                        upstream.hostPort(),
                                        registry.hostPort(),
                                        upstream.hostPort(),
                                        registry.hostPort()));

        SyncResult first = sync(file, null);
        assertThat(first.outcome()).as(first.toString()).isEqualTo(Outcome.PASSED);
        // two copies side by side: each counts its own blobs, its lines named by its image
        java.util.regex.Pattern count =
                java.util.regex.Pattern.compile("^(base/\\w+): \\[(\\d+)/(\\d+)\\] ");
        List<java.util.regex.Matcher> counted =
                progress.stream()
                        .map(count::matcher)
                        .filter(java.util.regex.Matcher::find)
                        .toList();
        assertThat(counted).extracting(m -> m.group(1)).contains("base/app", "base/tools");
        assertThat(counted)
                .allSatisfy(
                        m ->
                                assertThat(Integer.parseInt(m.group(2)))
                                        .isLessThanOrEqualTo(Integer.parseInt(m.group(3))));
        assertThat(first.entries())
                .allSatisfy(
                        e -> {
                            assertThat(e.vetted()).isTrue();
                            assertThat(e.changed()).isTrue();
                        });

        // Nothing moved: per image, HEAD upstream and the trusted tag, then the referrers listing
        // of
        // the digest it holds, whose entries show a young PASS (VerdictProbe); no verdict read, no
        // layer, no write, and no Trivy (a path where none is).
        upstream.clearRequests();
        registry.clearRequests();
        SyncResult unchanged = sync(file, dir.resolve("no-trivy").toString());
        assertThat(unchanged.outcome()).as(unchanged.toString()).isEqualTo(Outcome.PASSED);
        assertThat(unchanged.entries())
                .noneMatch(SyncResult.Entry::vetted)
                .noneMatch(SyncResult.Entry::changed)
                .allSatisfy(e -> assertThat(e.verdictCreated()).isNotEmpty());
        List<RegistryRequest> all = new java.util.ArrayList<>(upstream.awaitRequests());
        all.addAll(registry.awaitRequests());
        List<RegistryRequest> sent = all.stream().filter(r -> !r.path().equals("/v2/")).toList();
        assertThat(sent).as(sent.toString()).hasSize(3 * 2);
        assertThat(sent).allMatch(RegistryRequest::isManifest);
        assertThat(sent).allMatch(r -> r.method().equals("HEAD") || r.method().equals("GET"));

        // Upstream moves app:1 to a build with openssl fixed and busybox updated: vetted again, the
        // change reported.
        TestImages.Image v2 =
                TestImages.alpine(
                        amd64,
                        List.<String[]>of(
                                new String[] {"openssl", "3.5.2-r0", "openssl"},
                                new String[] {"busybox", "1.37.0-r1", "busybox"}));
        up.push("library/app", "1", v2);
        SyncResult moved = sync(file, null);
        assertThat(moved.outcome()).as(moved.toString()).isEqualTo(Outcome.PASSED);
        SyncResult.Entry app = moved.entries().get(0);
        assertThat(app.changed()).isTrue();
        assertThat(app.vetted()).isTrue();
        assertThat(app.previousDigest()).isEqualTo(v1.digest().toString());
        assertThat(app.digest()).isEqualTo(v2.digest().toString());
        // v1's openssl 3.5.1-r0 had CVE-2099-0002 (fixed in 3.5.2-r0); v2 has it no more
        assertThat(app.fixed())
                .anySatisfy(k -> assertThat(k).startsWith("CVE-2099-0002 openssl 3.5.1-r0"));
        assertThat(app.introduced()).isEmpty();
        assertThat(new ImagePusher(registry).manifestDigest("base/app", "1")).contains(v2.digest());
        assertThat(moved.entries().get(1).vetted()).isFalse();
    }

    @Test
    void aRescanFindsInPlaceWhatANewerDbKnowsAndEveryGateThenRefusesItNamingTheFindings()
            throws IOException {
        // openssl 3.5.0-r0: CVE-2099-0001 (CRITICAL) and CVE-2099-0002 (MEDIUM); the older DB
        // knows only the second, which this policy accepts.
        TestImages.Image image =
                TestImages.alpine(
                        Platform.parse("linux/amd64"),
                        List.<String[]>of(new String[] {"openssl", "3.5.0-r0", "openssl"}));
        new ImagePusher(upstream).push("library/lib", "1", image);
        Path policy = Files.writeString(dir.resolve("policy.yaml"), "failOn: CRITICAL\n");
        Path file =
                Files.writeString(
                        dir.resolve("sync.yaml"),
                        """
                policy: policy.yaml
                rescanAfter: 30d
                images:
                  - source: %s/library/lib:1
                    target: %s/base/lib:1
                """
                                .formatted(upstream.hostPort(), registry.hostPort()));
        Path older = FixtureVulnerabilityDb.cacheDirWithout("CVE-2099-0001");
        Path current = FixtureVulnerabilityDb.cacheDir();
        ImageReference trusted = ImageReference.parse(registry.hostPort() + "/base/lib:1");

        SyncResult first = sync(file, null, null, older, null);
        assertThat(first.outcome()).as(first.toString()).isEqualTo(Outcome.PASSED);
        assertThat(refusal(trusted)).isEmpty();

        // The verdict is young for the file's 30d: left alone, whatever the DB knows now.
        SyncResult young = sync(file, null, null, current, null);
        assertThat(young.outcome()).isEqualTo(Outcome.PASSED);
        assertThat(young.entries().get(0).vetted()).isFalse();

        // 0s on the command line overrides the file: scanned again in place with the newer DB.
        registry.clearRequests();
        SyncResult rescan = sync(file, null, null, current, "0s");
        assertThat(rescan.outcome()).as(rescan.toString()).isEqualTo(Outcome.POLICY_FAILED);
        SyncResult.Entry failing = rescan.entries().get(0);
        assertThat(failing.rescanned()).isTrue();
        assertThat(failing.newlyFailing()).isTrue();
        assertThat(failing.becameClean()).isFalse();
        assertThat(failing.changed()).isFalse();
        assertThat(failing.digest()).isEqualTo(image.digest().toString());
        assertThat(failing.findings()).containsExactly("CVE-2099-0001 openssl 3.5.0-r0");
        assertThat(failing.counts()).containsEntry("CRITICAL", 1).containsEntry("MEDIUM", 1);
        assertThat(progress).anyMatch(l -> l.startsWith("newly failing: " + trusted));
        // In place: nothing written to quarantine, no layer read or written, the tag untouched.
        List<RegistryRequest> sent = registry.awaitRequests();
        assertThat(sent)
                .filteredOn(r -> !r.method().equals("GET") && !r.method().equals("HEAD"))
                .allMatch(r -> r.path().startsWith("/v2/base/lib/"), "writes beside the target");
        assertThat(sent)
                .filteredOn(r -> r.path().contains("/blobs/uploads/"))
                .filteredOn(r -> r.method().equals("POST"))
                .hasSizeLessThanOrEqualTo(2); // the verdict's document and its empty config
        assertThat(sent)
                .noneMatch(r -> r.path().contains("/manifests/1") && r.method().equals("PUT"));
        // Its verdicts are read once: those the lookup that found it due read are what the new
        // verdict supersedes (the supersession is checked below).
        assertThat(sent)
                .filteredOn(
                        r ->
                                r.method().equals("GET")
                                        && r.path()
                                                .equals("/v2/base/lib/referrers/" + image.digest()))
                .hasSize(1);
        assertThat(new ImagePusher(registry).manifestDigest("base/lib", "1"))
                .contains(image.digest());
        // The newer FAIL wins over the older PASS: every gate refuses it, naming the finding.
        assertThat(refusal(trusted))
                .hasValueSatisfying(m -> assertThat(m).contains("CVE-2099-0001"));

        // Judged by the older DB again (the advisory withdrawn): clean again, and gates accept it.
        SyncResult clean = sync(file, null, null, older, "0s");
        assertThat(clean.outcome()).as(clean.toString()).isEqualTo(Outcome.PASSED);
        assertThat(clean.entries().get(0).becameClean()).isTrue();
        assertThat(clean.entries().get(0).newlyFailing()).isFalse();
        assertThat(refusal(trusted)).isEmpty();
        // One verdict per digest and policy stays listed: each rescan supersedes the one before.
        assertThat(verdictsListed(image.digest())).isEqualTo(1);
    }

    @Test
    void anImagesOwnRescanAfterBeatsTheFilesAndTheFilesCountsForTheOthers() throws IOException {
        ImagePusher up = new ImagePusher(upstream);
        up.push("library/own", "1", TestImages.cleanAlpine());
        up.push("library/shared", "1", TestImages.cleanAlpine());
        // the file says every image is due at once; "own" says it is not, for 30 days
        Path file =
                Files.writeString(
                        dir.resolve("sync.yaml"),
                        """
                rescanAfter: 0s
                images:
                  - source: %s/library/own:1
                    target: %s/own/app:1
                    rescanAfter: 30d
                  - source: %s/library/shared:1
                    target: %s/shared/app:1
                """
                                .formatted(
                                        upstream.hostPort(),
                                        registry.hostPort(),
                                        upstream.hostPort(),
                                        registry.hostPort()));
        SyncResult first = sync(file, null);
        assertThat(first.outcome()).as(first.toString()).isEqualTo(Outcome.PASSED);
        assertThat(first.entries()).allMatch(SyncResult.Entry::vetted);

        SyncResult second = sync(file, null);
        assertThat(second.outcome()).as(second.toString()).isEqualTo(Outcome.PASSED);
        assertThat(second.entries().get(0).rescanned()).as("own: 30d, young").isFalse();
        assertThat(second.entries().get(0).vetted()).isFalse();
        assertThat(second.entries().get(1).rescanned()).as("shared: the file's 0s").isTrue();
        assertThat(second.entries()).noneMatch(SyncResult.Entry::changed);
    }

    @Test
    void aRescanAfterWrittenWrongIsTheFilesErrorNamingTheKeyAndLine() throws IOException {
        for (String wrong : List.of("24 hours", "-1h", "1y", "400d")) {
            Path file =
                    Files.writeString(
                            dir.resolve("sync.yaml"),
                            """
                    rescanAfter: 6h
                    images:
                      - source: a.invalid/library/one:1
                        target: b.invalid/base/one:1
                      - source: a.invalid/library/two:1
                        target: b.invalid/base/two:1
                        rescanAfter: %s
                    """
                                    .formatted(wrong));
            SyncResult result = sync(file, null);
            assertThat(result.outcome()).as(wrong).isEqualTo(Outcome.ERROR);
            assertThat(result.entries()).as("nothing is synced").isEmpty();
            ImageGateException e = result.error().orElseThrow();
            assertThat(e.kind()).isEqualTo(io.imagegate.message.ErrorKind.CONFIGURATION);
            assertThat(e.getMessage())
                    .as(wrong)
                    .contains("sync.yaml line 7")
                    .contains("images[1].rescanAfter")
                    .contains("\"" + wrong + "\"");
        }
        Path top =
                Files.writeString(
                        dir.resolve("sync.yaml"),
                        """
                # nightly
                rescanAfter: 1y
                images:
                  - source: a.invalid/library/one:1
                    target: b.invalid/base/one:1
                """);
        ImageGateException e = sync(top, null).error().orElseThrow();
        assertThat(e.getMessage()).contains("sync.yaml line 2, key rescanAfter: \"1y\"");
        // a list where a duration belongs: the file's error too, with its line
        Files.writeString(
                top,
                """
                images:
                  - source: a.invalid/library/one:1
                    target: b.invalid/base/one:1
                    rescanAfter: [1h]
                """);
        assertThat(sync(top, null).error().orElseThrow().getMessage())
                .contains("line 4")
                .contains("rescanAfter");
    }

    /**
     * Why a gate that requires vetted images refuses {@code image}, or empty when it accepts it.
     */
    private static java.util.Optional<String> refusal(ImageReference image) {
        try (io.imagegate.registry.RegistryClient client =
                new io.imagegate.registry.RegistryClient(
                        io.imagegate.registry.TransportOptions.defaults(),
                        io.imagegate.registry.auth.CredentialProvider.anonymous(),
                        io.imagegate.registry.TransportListener.NONE)) {
            return new RegistryVettingCheck(
                            client,
                            java.util.Optional.empty(),
                            java.util.Optional.empty(),
                            java.time.Clock.systemUTC())
                    .notVetted(image)
                    .map(m -> m.render(io.imagegate.message.Vocabulary.NEUTRAL));
        }
    }

    /** Verdict artifacts the referrers tag of {@code digest} lists beside base/lib. */
    private static long verdictsListed(Digest digest) {
        try (io.imagegate.registry.RegistryClient client =
                new io.imagegate.registry.RegistryClient(
                        io.imagegate.registry.TransportOptions.defaults(),
                        io.imagegate.registry.auth.CredentialProvider.anonymous(),
                        io.imagegate.registry.TransportListener.NONE)) {
            return io.imagegate.referrers.Referrers.list(
                            client.pull(ImageReference.parse(registry.hostPort() + "/base/lib:1")),
                            digest)
                    .stream()
                    .filter(d -> d.artifactType().orElse("").equals(VerdictDocument.MEDIA_TYPE))
                    .count();
        }
    }

    @Test
    void aReportDirGetsTheScanReportsOfEachVettedImageInADirectoryNamedAfterItsTarget()
            throws IOException {
        Platform amd64 = Platform.parse("linux/amd64");
        ImagePusher up = new ImagePusher(upstream);
        up.push("library/web", "1", TestImages.cleanAlpine());
        up.push(
                "library/db",
                "2",
                TestImages.alpine(
                        amd64, List.<String[]>of(new String[] {"openssl", "3.5.1-r0", "openssl"})));
        Path file =
                Files.writeString(
                        dir.resolve("sync.yaml"),
                        """
                images:
                  - source: %s/library/web:1
                    target: %s/reports/web:1
                  - source: %s/library/db:2
                    target: %s/reports/db:2
                """
                                .formatted(
                                        upstream.hostPort(),
                                        registry.hostPort(),
                                        upstream.hostPort(),
                                        registry.hostPort()));

        SyncResult result = sync(file, null, "out/reports");

        assertThat(result.entries()).as(result.toString()).allMatch(SyncResult.Entry::vetted);
        for (int i = 0; i < 2; i++) {
            String target = List.of("reports/web:1", "reports/db:2").get(i);
            Path reports =
                    dir.resolve("out/reports")
                            .resolve(
                                    (registry.hostPort() + "/" + target)
                                            .replace(':', '_')
                                            .replace('/', '_'));
            assertThat(reports).isDirectory();
            String stem =
                    ReportName.stem(
                            ImageReference.parse(registry.hostPort() + "/" + target)
                                    .withDigest(Digest.parse(result.entries().get(i).digest())));
            // stems now start with the repository's last segment: order by name says nothing
            assertThat(Files.list(reports).map(p -> p.getFileName().toString()).toList())
                    .containsExactlyInAnyOrder(
                            stem + "-junit.xml",
                            stem + ".html",
                            stem + ".json",
                            stem + ".sarif",
                            stem + ".trivy.json",
                            "imagegate-report.css");
            assertThat(Files.readString(reports.resolve(stem + ".json")))
                    .contains(target.substring(0, target.indexOf(':')));
        }
        assertThat(Files.list(dir.resolve("out/reports"))).hasSize(2);
    }

    @Test
    void oneFailingImageDoesNotStopTheOthers() throws IOException {
        TestImages.Image tools = TestImages.cleanAlpine();
        new ImagePusher(upstream).push("library/fine", "1", tools);
        Path file =
                Files.writeString(
                        dir.resolve("sync.yaml"),
                        """
                images:
                  - source: %s/library/missing:1
                    target: %s/base/missing:1
                  - source: %s/library/fine:1
                    target: %s/base/fine:1
                """
                                .formatted(
                                        upstream.hostPort(),
                                        registry.hostPort(),
                                        upstream.hostPort(),
                                        registry.hostPort()));
        SyncResult result = sync(file, null);
        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.entries().get(0).outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.entries().get(0).error().orElseThrow().kind())
                .isEqualTo(io.imagegate.message.ErrorKind.NOT_FOUND);
        assertThat(result.entries().get(1).outcome()).isEqualTo(Outcome.PASSED);
        assertThat(new ImagePusher(registry).tagExists("base/fine", "1")).isTrue();
    }

    @Test
    void aBrokenSyncFileIsAConfigurationErrorNamingTheLine() throws IOException {
        Path file =
                Files.writeString(
                        dir.resolve("sync.yaml"), "images:\n  - source: a:1\n    targt: b:1\n");
        SyncResult result = sync(file, null);
        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.error().orElseThrow().kind())
                .isEqualTo(io.imagegate.message.ErrorKind.CONFIGURATION);
        assertThat(result.error().orElseThrow().getMessage())
                .contains("sync.yaml")
                .contains("line 3");
    }
}
