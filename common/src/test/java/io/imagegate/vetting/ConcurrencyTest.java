package io.imagegate.vetting;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.api.ImageGate;
import io.imagegate.api.ImportSpec;
import io.imagegate.api.OperationResult;
import io.imagegate.api.Outcome;
import io.imagegate.api.ProgressListener;
import io.imagegate.api.TrivySettings;
import io.imagegate.api.VerdictSpec;
import io.imagegate.api.VetSpec;
import io.imagegate.oci.Manifest;
import io.imagegate.oci.Platform;
import io.imagegate.referrers.Referrers;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.TestSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several imports and vets of overlapping images into the same registry at once all finish
 * correctly.
 */
@NeedsComponents
class ConcurrencyTest {
    @RegisterExtension static final RegistryExtension upstream = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();

    @TempDir Path dir;

    @Test
    void overlappingImportsAndVetsAtOnce() throws Exception {
        Platform amd64 = Platform.parse("linux/amd64");
        TestImages.Image a = TestImages.cleanAlpine();
        TestImages.Image b =
                TestImages.alpine(
                        amd64,
                        List.<String[]>of(new String[] {"busybox", "1.37.0-r31", "busybox"}));
        ImagePusher up = new ImagePusher(upstream);
        up.push("library/a", "1", a);
        up.push("library/b", "1", b);
        ImageGate api = ImageGate.create(TestSettings.in(dir));
        TrivySettings trivy =
                TrivySettings.builder()
                        .cacheDir(FixtureVulnerabilityDb.cacheDir().toString())
                        .skipDbUpdate(true)
                        .skipJavaDbUpdate(true)
                        .offlineScan(true)
                        .build();
        String src = upstream.hostPort() + "/library/";
        String dst = registry.hostPort() + "/";

        List<Callable<OperationResult>> work = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            work.add(
                    () ->
                            api.vet(
                                    VetSpec.builder()
                                            .source(src + "a:1")
                                            .target(dst + "base/a:1")
                                            .force(true)
                                            .trivy(trivy)
                                            .build(),
                                    ProgressListener.NONE));
        }
        work.add(
                () ->
                        api.vet(
                                VetSpec.builder()
                                        .source(src + "b:1")
                                        .target(dst + "base/b:1")
                                        .trivy(trivy)
                                        .build(),
                                ProgressListener.NONE));
        for (int i = 0; i < 2; i++) {
            work.add(
                    () ->
                            api.importImage(
                                    ImportSpec.builder()
                                            .source(src + "a:1")
                                            .target(dst + "mirror/a:1")
                                            .build(),
                                    ProgressListener.NONE));
            work.add(
                    () ->
                            api.importImage(
                                    ImportSpec.builder()
                                            .source(src + "b:1")
                                            .target(dst + "base/a-copy:1")
                                            .force(true)
                                            .build(),
                                    ProgressListener.NONE));
        }
        ExecutorService pool = Executors.newFixedThreadPool(work.size());
        List<Future<OperationResult>> results;
        try {
            results = pool.invokeAll(work);
            for (Future<OperationResult> r : results) {
                assertThat(r.get().outcome()).as(r.get().toString()).isEqualTo(Outcome.PASSED);
            }
        } finally {
            pool.shutdownNow();
        }

        List<Future<OperationResult>> vets = results.subList(0, 3);
        ImagePusher check = new ImagePusher(registry);
        assertThat(check.manifestDigest("base/a", "1")).contains(a.digest());
        assertThat(check.manifestDigest("base/b", "1")).contains(b.digest());
        assertThat(check.manifestDigest("mirror/a", "1")).contains(a.digest());
        assertThat(check.manifestDigest("base/a-copy", "1")).contains(b.digest());
        // Three vets of the same image raced on one referrers index: no verdict was lost. Each one
        // is listed, or was
        // replaced by a listed verdict that names it as superseded (a later vet that read it);
        // every listed one is readable.
        Manifest index =
                Manifest.parse(
                        check.getManifest("base/a", Referrers.tagOf(a.digest())),
                        "",
                        "referrers index");
        index.manifests()
                .forEach(
                        d ->
                                assertThat(check.manifestDigest("base/a", d.digest().toString()))
                                        .contains(d.digest()));
        List<io.imagegate.api.StoredVerdict> stored =
                api.verdicts(new VerdictSpec(dst + "base/a:1")).verdicts();
        assertThat(stored).isNotEmpty().allSatisfy(v -> assertThat(v.verdict()).isEqualTo("PASS"));
        java.util.Set<String> accounted = new java.util.HashSet<>();
        for (io.imagegate.api.StoredVerdict v : stored) {
            accounted.add(v.artifact().substring(v.artifact().indexOf('@') + 1));
            new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(v.document())
                    .path("supersedes")
                    .forEach(d -> accounted.add(d.asText()));
        }
        for (Future<OperationResult> r : vets) {
            String verdict = ((io.imagegate.api.VetResult) r.get()).verdictStored();
            assertThat(accounted)
                    .as("verdict " + verdict)
                    .contains(verdict.substring(verdict.indexOf('@') + 1));
        }
        assertThat(api.verdicts(new VerdictSpec(dst + "base/a:1")).outcome())
                .isEqualTo(Outcome.PASSED);
    }
}
