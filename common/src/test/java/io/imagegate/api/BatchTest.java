package io.imagegate.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.Field;
import io.imagegate.oci.Platform;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.TestSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ImageGate#importAll} and {@link ImageGate#vetAll}: the results come back in the specs'
 * order whatever order the pool finishes them in, and one that fails (bad input, a missing image, a
 * refusal) is its own result, never the end of the others.
 */
@NeedsComponents
class BatchTest {
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();

    static TestImages.Image clean;
    static TestImages.Image vulnerable;

    @TempDir Path dir;

    @BeforeAll
    static void images() {
        clean = TestImages.cleanAlpine();
        vulnerable =
                TestImages.alpine(
                        Platform.parse("linux/amd64"),
                        List.<String[]>of(new String[] {"openssl", "3.5.0-r0", "openssl"}));
        ImagePusher pusher = new ImagePusher(registry);
        pusher.push("public/clean", "1", clean);
        pusher.push("public/vulnerable", "1", vulnerable);
    }

    private static String ref(String path) {
        return registry.hostPort() + "/" + path;
    }

    private static ImportSpec importing(String source, String target) {
        return ImportSpec.builder().source(source).target(target).build();
    }

    @Test
    void importAllKeepsTheSpecsOrderAndOneFailureStopsNoOther() {
        List<String> lines = new CopyOnWriteArrayList<>();
        List<ImportResult> results =
                ImageGate.create(TestSettings.in(dir))
                        .importAll(
                                List.of(
                                        importing(ref("public/clean:1"), ref("batch/first:1")),
                                        importing("Not/Valid", ref("batch/bad:1")),
                                        importing(ref("public/none:1"), ref("batch/missing:1")),
                                        importing(ref("public/clean:1"), ref("batch/last:1"))),
                                3,
                                lines::add);

        assertThat(results)
                .extracting(ImportResult::outcome)
                .containsExactly(Outcome.PASSED, Outcome.ERROR, Outcome.ERROR, Outcome.PASSED);
        assertThat(results.get(0).target()).startsWith(ref("batch/first:1"));
        assertThat(results.get(1).error().orElseThrow().kind()).isEqualTo(ErrorKind.USAGE);
        assertThat(results.get(1).error().orElseThrow().field()).contains(Field.SOURCE);
        assertThat(results.get(2).error().orElseThrow().kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(results.get(3).target()).startsWith(ref("batch/last:1"));
        ImagePusher pusher = new ImagePusher(registry);
        assertThat(pusher.manifestDigest("batch/first", "1")).contains(clean.digest());
        assertThat(pusher.manifestDigest("batch/last", "1")).contains(clean.digest());
        // side by side, each line names the image it is about
        assertThat(lines)
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).containsPattern("^(\\S+: )"));
    }

    @Test
    void vetAllKeepsTheSpecsOrderAndARefusalOrAnErrorStopsNoOther() {
        TrivySettings trivy =
                TrivySettings.builder()
                        .cacheDir(FixtureVulnerabilityDb.cacheDir().toString())
                        .skipDbUpdate(true)
                        .skipJavaDbUpdate(true)
                        .offlineScan(true)
                        .build();
        List<VetResult> results =
                ImageGate.create(TestSettings.in(dir))
                        .vetAll(
                                List.of(
                                        VetSpec.builder()
                                                .source(ref("public/vulnerable:1"))
                                                .target(ref("batch-trusted/vulnerable:1"))
                                                .trivy(trivy)
                                                .build(),
                                        VetSpec.builder()
                                                .source(ref("public/clean:1"))
                                                .target(
                                                        ref(
                                                                "batch-trusted/clean:1@sha256:"
                                                                        + "0".repeat(64)))
                                                .trivy(trivy)
                                                .build(),
                                        VetSpec.builder()
                                                .source(ref("public/clean:1"))
                                                .target(ref("batch-trusted/clean:1"))
                                                .trivy(trivy)
                                                .build()),
                                2,
                                ProgressListener.NONE);

        assertThat(results)
                .extracting(VetResult::outcome)
                .containsExactly(Outcome.POLICY_FAILED, Outcome.ERROR, Outcome.PASSED);
        assertThat(results.get(1).error().orElseThrow().kind()).isEqualTo(ErrorKind.USAGE);
        assertThat(results.get(2).promoted()).isTrue();
        ImagePusher pusher = new ImagePusher(registry);
        assertThat(pusher.manifestDigest("batch-trusted/clean", "1")).contains(clean.digest());
        assertThat(pusher.manifestDigest("batch-trusted/vulnerable", "1")).isEmpty();
    }

    @Test
    void aParallelismOutOfRangeFailsEveryItemAndRunsNone() {
        List<ImportResult> results =
                ImageGate.create(TestSettings.in(dir))
                        .importAll(
                                List.of(
                                        importing(ref("public/clean:1"), ref("batch/never:1")),
                                        importing(ref("public/clean:1"), ref("batch/never:2"))),
                                0,
                                ProgressListener.NONE);

        assertThat(results)
                .hasSize(2)
                .allSatisfy(
                        r -> {
                            assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
                            assertThat(r.error().orElseThrow().kind()).isEqualTo(ErrorKind.USAGE);
                            assertThat(r.error().orElseThrow().field()).contains(Field.PARALLEL);
                        });
        assertThat(new ImagePusher(registry).manifestDigest("batch/never", "1")).isEmpty();
    }
}
