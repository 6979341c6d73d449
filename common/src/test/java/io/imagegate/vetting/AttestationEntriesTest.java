package io.imagegate.vetting;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.api.GateResult;
import io.imagegate.api.GateSpec;
import io.imagegate.api.ImageGate;
import io.imagegate.api.ImportResult;
import io.imagegate.api.ImportSpec;
import io.imagegate.api.OperationResult;
import io.imagegate.api.Outcome;
import io.imagegate.api.ProgressListener;
import io.imagegate.api.RewriteResult;
import io.imagegate.api.RewriteSpec;
import io.imagegate.api.ScanResult;
import io.imagegate.api.ScanSpec;
import io.imagegate.api.VetResult;
import io.imagegate.api.VetSpec;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.oci.Platform;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.TestSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Entries annotated as build attestations ({@code vnd.docker.reference.type:
 * attestation-manifest}). containerd and BuildKit select an index entry by platform alone, the
 * first match in index order, never by that annotation: an entry is left unscanned only when it is
 * provably an attestation, and an index that disguises an image as one is refused everywhere a
 * platform is selected from it.
 */
@NeedsComponents
class AttestationEntriesTest {
    @RegisterExtension static final RegistryExtension upstream = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();

    static final Platform AMD64 = Platform.parse("linux/amd64");
    static final Platform UNKNOWN = Platform.parse("unknown/unknown");
    static TestImages.Image clean;
    static TestImages.Image vulnerable;
    static TestImages.Image provenance;

    /**
     * A vulnerable linux/amd64 image annotated as the attestation of the clean one, listed first:
     * containerd runs it.
     */
    static TestImages.Index disguised;

    /** What buildx pushes: the image, then its in-toto attestation as unknown/unknown naming it. */
    static TestImages.Index buildx;

    /**
     * A vulnerable image annotated as an attestation, unknown/unknown and naming a sibling, but
     * with image layers.
     */
    static TestImages.Index notInToto;

    static Path cache;

    @TempDir Path dir;

    @BeforeAll
    static void images() {
        cache = FixtureVulnerabilityDb.cacheDir();
        clean = TestImages.cleanAlpine();
        vulnerable = TestImages.vulnerableAlpine();
        provenance = TestImages.attestation(clean);
        disguised =
                TestImages.indexOf(
                        List.of(
                                TestImages.attestationEntry(vulnerable, AMD64, clean.digest()),
                                TestImages.entry(clean)),
                        true);
        buildx =
                TestImages.indexOf(
                        List.of(
                                TestImages.entry(clean),
                                TestImages.attestationEntry(provenance, UNKNOWN, clean.digest())),
                        true);
        notInToto =
                TestImages.indexOf(
                        List.of(
                                TestImages.entry(clean),
                                TestImages.attestationEntry(vulnerable, UNKNOWN, clean.digest())),
                        true);
        ImagePusher up = new ImagePusher(upstream);
        up.push("library/disguised", "1", disguised);
        up.push("library/buildx", "1", buildx);
        up.push("library/not-in-toto", "1", notInToto);
        ImagePusher mirror = new ImagePusher(registry);
        mirror.push("mirror/docker.io/library/disguised", "1", disguised);
        mirror.push("mirror/docker.io/library/buildx", "1", buildx);
    }

    private String up(String path) {
        return upstream.hostPort() + "/" + path;
    }

    private String priv(String path) {
        return registry.hostPort() + "/" + path;
    }

    private ImageGate api() {
        return ImageGate.create(TestSettings.in(dir));
    }

    private VetResult vet(String source, String target) {
        return api().vet(
                        VetSpec.builder()
                                .source(source)
                                .target(target)
                                .trivy(FixtureVulnerabilityDb.offlineTrivy())
                                .build(),
                        ProgressListener.NONE);
    }

    /**
     * The error of a result that must be an integrity error naming the disguised index and its
     * disguised entry.
     */
    private static void refusedAsDisguised(OperationResult result) {
        assertThat(result.outcome()).as(result.toString()).isEqualTo(Outcome.ERROR);
        ImageGateException error = result.error().orElseThrow();
        assertThat(error.kind()).isEqualTo(ErrorKind.INTEGRITY);
        assertThat(error.message().code()).isEqualTo("attestation.disguised");
        assertThat(error.message().toString())
                .contains(disguised.digest().toString())
                .contains(vulnerable.digest().toString());
    }

    @Test
    void vetRefusesAnIndexThatDisguisesAnImageAsAnAttestation() {
        VetResult result = vet(up("library/disguised:1"), priv("base/disguised:1"));

        refusedAsDisguised(result);
        assertThat(result.promoted()).isFalse();
        assertThat(new ImagePusher(registry).tagExists("base/disguised", "1")).isFalse();
    }

    @Test
    void scanRefusesAnIndexThatDisguisesAnImageAsAnAttestation() {
        ScanResult result =
                api().scan(
                                ScanSpec.of(
                                        up("library/disguised:1"),
                                        null,
                                        null,
                                        FixtureVulnerabilityDb.offlineTrivy()),
                                ProgressListener.NONE);

        refusedAsDisguised(result);
    }

    @Test
    void importRefusesAnIndexThatDisguisesAnImageAsAnAttestation() {
        ImportResult all =
                api().importImage(
                                ImportSpec.builder()
                                        .source(up("library/disguised:1"))
                                        .target(priv("import/disguised:1"))
                                        .build(),
                                ProgressListener.NONE);
        refusedAsDisguised(all);
        ImportResult amd64 =
                api().importImage(
                                ImportSpec.builder()
                                        .source(up("library/disguised:1"))
                                        .target(priv("import/disguised:2"))
                                        .platforms(List.of("linux/amd64"))
                                        .build(),
                                ProgressListener.NONE);
        refusedAsDisguised(amd64);
        assertThat(new ImagePusher(registry).tagExists("import/disguised", "1")).isFalse();
        assertThat(new ImagePusher(registry).tagExists("import/disguised", "2")).isFalse();
    }

    @Test
    void aBuildxAttestationIsLeftOutAndTheImagePasses() {
        VetResult result = vet(up("library/buildx:1"), priv("base/buildx:1"));

        assertThat(result.outcome()).as(result.toString()).isEqualTo(Outcome.PASSED);
        assertThat(result.verdicts())
                .extracting(v -> v.platform() + " " + v.verdict())
                .containsExactly("linux/amd64 PASS");
        assertThat(new ImagePusher(registry).manifestDigest("base/buildx", "1"))
                .contains(buildx.digest());
    }

    @Test
    void anEntryClaimingToBeAnAttestationWithoutInTotoLayersIsScanned() {
        VetResult result = vet(up("library/not-in-toto:1"), priv("base/not-in-toto:1"));

        assertThat(result.outcome()).as(result.toString()).isEqualTo(Outcome.POLICY_FAILED);
        assertThat(result.verdicts())
                .extracting(v -> v.platform() + " " + v.verdict())
                .containsExactly("linux/amd64 PASS", "unknown/unknown FAIL");
        assertThat(new ImagePusher(registry).tagExists("base/not-in-toto", "1")).isFalse();
    }

    private RewriteResult pin(String image, String platform) throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM " + image + "\n");
        return api().rewrite(
                        new RewriteSpec(
                                List.of("Dockerfile"),
                                List.of("=" + priv("mirror")),
                                true,
                                platform,
                                false));
    }

    @Test
    void rewriteRefusesToPinAPlatformOfAnIndexThatDisguisesAnImageAsAnAttestation()
            throws IOException {
        RewriteResult result = pin("disguised:1", "linux/amd64");

        refusedAsDisguised(result);
        assertThat(Files.readString(dir.resolve("Dockerfile"))).isEqualTo("FROM disguised:1\n");
    }

    @Test
    void rewriteNeverPinsAnAttestation() throws IOException {
        RewriteResult amd64 = pin("buildx:1", "linux/amd64");
        assertThat(amd64.outcome()).as(amd64.toString()).isEqualTo(Outcome.PASSED);
        assertThat(Files.readString(dir.resolve("Dockerfile")))
                .isEqualTo(
                        "FROM "
                                + priv("mirror/docker.io/library/buildx:1")
                                + "@"
                                + clean.digest()
                                + "\n");

        // unknown/unknown is what buildx names its attestations, not a platform of the image
        RewriteResult unknown = pin("buildx:1", "unknown/unknown");
        assertThat(unknown.outcome()).as(unknown.toString()).isEqualTo(Outcome.ERROR);
        assertThat(unknown.error().orElseThrow().message().code())
                .isEqualTo("rewrite.pin-no-platform");
        assertThat(Files.readString(dir.resolve("Dockerfile"))).isEqualTo("FROM buildx:1\n");
    }

    private GateResult gate(String image) throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM " + image + "\n");
        return api().gate(
                        GateSpec.builder()
                                .files(List.of("Dockerfile"))
                                .trusted(List.of(registry.hostPort()))
                                .requireVetted(true)
                                .build());
    }

    @Test
    void theGateTakesAPlatformPinToTheImageButNotToItsAttestation() throws IOException {
        assertThat(vet(up("library/buildx:1"), priv("gate/buildx:1")).outcome())
                .isEqualTo(Outcome.PASSED);

        GateResult image = gate(priv("gate/buildx:1") + "@" + clean.digest());
        assertThat(image.outcome()).as(image.toString()).isEqualTo(Outcome.PASSED);
        GateResult attestation = gate(priv("gate/buildx:1") + "@" + provenance.digest());
        assertThat(attestation.outcome())
                .as(attestation.toString())
                .isEqualTo(Outcome.POLICY_FAILED);
        assertThat(attestation.violations())
                .singleElement()
                .satisfies(v -> assertThat(v.rule()).isEqualTo("not-vetted"));
    }
}
