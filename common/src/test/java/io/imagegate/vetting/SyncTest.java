package io.imagegate.vetting;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.api.ImageGate;
import io.imagegate.api.Outcome;
import io.imagegate.api.SyncResult;
import io.imagegate.api.SyncSpec;
import io.imagegate.api.TrivySettings;
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
        TrivySettings trivy =
                TrivySettings.builder()
                        .path(trivyPath)
                        .cacheDir(FixtureVulnerabilityDb.cacheDir().toString())
                        .skipDbUpdate(true)
                        .skipJavaDbUpdate(true)
                        .offlineScan(true)
                        .build();
        return ImageGate.create(TestSettings.in(dir))
                .sync(
                        new SyncSpec(file.toString(), null, null, 2, reportDir, trivy),
                        progress::add);
    }

    @Test
    void unchangedUpstreamCostsTwoManifestRequestsAndAMovedTagIsVettedWithItsChanges()
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

        // Nothing moved: per image, HEAD upstream and the trusted tag, then the verdict that must
        // still stand (the referrers
        // indexes beside it and in quarantine, the verdict and its document); no layer, no write,
        // and no Trivy (a path where
        // none is).
        upstream.clearRequests();
        registry.clearRequests();
        SyncResult unchanged = sync(file, dir.resolve("no-trivy").toString());
        assertThat(unchanged.outcome()).as(unchanged.toString()).isEqualTo(Outcome.PASSED);
        assertThat(unchanged.entries())
                .noneMatch(SyncResult.Entry::vetted)
                .noneMatch(SyncResult.Entry::changed);
        List<RegistryRequest> all = new java.util.ArrayList<>(upstream.awaitRequests());
        all.addAll(registry.awaitRequests());
        List<RegistryRequest> manifests =
                all.stream().filter(r -> r.path().contains("/manifests/")).toList();
        assertThat(manifests).hasSize(10);
        assertThat(all.stream().filter(r -> r.path().contains("/blobs/"))).hasSize(2);
        assertThat(all).allMatch(r -> r.method().equals("HEAD") || r.method().equals("GET"));

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
            assertThat(Files.list(reports).map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly(
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
